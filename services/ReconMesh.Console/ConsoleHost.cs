using ReconMesh.OperatorConsole.KeyRing;
using ReconMesh.OperatorConsole.Services;
using ReconMesh.OperatorConsole.SignIn;
using ReconMesh.ServiceDefaults.Hosting;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.OperatorConsole;

/// <summary>
/// The operator console: server-rendered pages over the three services' APIs, for the people who handle what the mesh
/// cannot. It holds no data of its own: every page is read from the services, with the signed-in person's token, so a
/// person sees and does exactly what their token allows there.
/// </summary>
public static class ConsoleHost
{
    public const string Name = "operator-console";

    public static WebApplicationBuilder AddOperatorConsole(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddServiceDefaults(Name);
        var auth = ApiSecuritySettings.Read(builder.Configuration);
        var settings = ConsoleSettings.Read(builder.Configuration, auth);
        builder.Services.AddSingleton(auth);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddConsoleKeyRing();
        builder.AddTrustedProxies();
        builder.AddConsoleSignIn(auth, settings);
        builder.Services.AddServiceClients(settings);
        builder.Services.AddRazorPages()
            // The pages are compiled into this assembly; named explicitly so a host whose entry assembly is another (a
            // test run) finds them too.
            .AddApplicationPart(typeof(ConsoleHost).Assembly);
        return builder;
    }

    public static WebApplication MapOperatorConsole(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // First: every later step (cookies, the sign-in's return address) sees the scheme the person used.
        app.UseForwardedHeaders();
        app.UseExceptionHandler("/error");
        // A 404 or 403 from a page or a service is a page of its own, not a blank answer.
        app.UseStatusCodePagesWithReExecute("/status/{0}");
        app.Use(async (context, next) =>
        {
            // A sign-in link carries the token in its fragment, which browsers never send; nothing else leaves either.
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            context.Response.Headers.XFrameOptions = "DENY";
            await next(context);
        });
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthChecks(ServiceDefaultsExtensions.LivePath, new() { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks(ServiceDefaultsExtensions.ReadyPath, new() { Predicate = c => c.Tags.Contains(ServiceDefaultsExtensions.ReadyTag) })
            .AllowAnonymous();
        app.MapRazorPages();
        return app;
    }
}
