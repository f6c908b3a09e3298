using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace ReconMesh.OperatorConsole.SignIn;

/// <summary>
/// Behind a TLS-terminating ingress the console hears plain HTTP from the ingress controller. It takes the original
/// scheme and client address (<c>X-Forwarded-Proto</c>, <c>X-Forwarded-For</c>, one hop) from the proxies the deployment
/// names in <c>ReconMesh:Console:TrustedProxies</c> (addresses or CIDR networks), so that its cookies are marked Secure
/// and the sign-in's return address is https. From anyone else, loopback included, the headers are ignored: a client
/// cannot claim a scheme it did not use. A name that is neither an address nor a network stops the console at start.
/// </summary>
public static class TrustedProxies
{
    public const string Section = "ReconMesh:Console:TrustedProxies";

    public static WebApplicationBuilder AddTrustedProxies(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var named = builder.Configuration.GetSection(Section).Get<string[]>() ?? [];
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardLimit = 1;
            // Only what the deployment names: not the loopback proxy ASP.NET Core trusts by default.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // the older list is still read by the middleware: its loopback default must go too
            options.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var entry in named.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()))
            {
                if (entry.Contains('/', StringComparison.Ordinal) && System.Net.IPNetwork.TryParse(entry, out var network))
                {
                    options.KnownIPNetworks.Add(network);
                }
                else if (IPAddress.TryParse(entry, out var address))
                {
                    options.KnownProxies.Add(address);
                }
                else
                {
                    throw new InvalidOperationException(
                        $"{Section} names '{entry}', which is neither an IP address nor a CIDR network (e.g. 10.0.0.0/8).");
                }
            }

            // With both lists empty the middleware would believe anyone: no proxy named, no header read at all.
            options.ForwardedHeaders = options.KnownProxies.Count + options.KnownIPNetworks.Count > 0
                ? ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedFor
                : ForwardedHeaders.None;
        });
        return builder;
    }
}
