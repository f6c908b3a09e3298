using System.Diagnostics;

namespace ReconMesh.IntegrationTests.Infrastructure;

/// <summary>
/// The bus's users and permissions as the deployment makes them: deploy/local/rabbitmq-users.sh, run against the
/// test's virtual host with users of a prefix of this run's own and passwords generated into a temporary directory.
/// Disposing deletes the users and the passwords (the virtual host goes with <see cref="TestServers"/>).
/// </summary>
public sealed class BusUsers : IAsyncDisposable
{
    public const string PaymentEvents = "payment-events";
    public const string Writeback = "writeback-service";
    public const string InvoiceIngest = "invoice-ingest";
    public const string Platform = "platform";
    public const string Connector = "connector";

    private readonly Uri _broker;
    private readonly Dictionary<string, string?> _environment;
    private readonly string _passwords;

    private BusUsers(Uri broker, Dictionary<string, string?> environment, string passwords)
    {
        _broker = broker;
        _environment = environment;
        _passwords = passwords;
    }

    /// <summary>The connector team's queue-name prefix the script is given.</summary>
    public string ConnectorPrefix => _environment["RECONMESH_BUS_CONNECTOR_PREFIX"]!;

    /// <summary>Applies the users to the virtual host of <paramref name="rabbitMqUrl"/> (an amqp:// URI naming it).</summary>
    public static async Task<BusUsers> ApplyAsync(string rabbitMqUrl)
    {
        var broker = new Uri(rabbitMqUrl);
        var passwords = Directory.CreateTempSubdirectory("reconmesh-bus-users-").FullName;
        var environment = new Dictionary<string, string?>
        {
            ["RECONMESH_RABBITMQ_MANAGEMENT_URL"] =
                Environment.GetEnvironmentVariable("RECONMESH_RABBITMQ_MANAGEMENT_URL") ?? "http://guest:guest@127.0.0.1:15672/",
            ["RECONMESH_BUS_VHOST"] = Uri.UnescapeDataString(broker.AbsolutePath.TrimStart('/')),
            ["RECONMESH_BUS_USER_PREFIX"] = $"test-{Guid.NewGuid():N}"[..13] + "-",
            ["RECONMESH_BUS_PASSWORDS_DIR"] = passwords,
            ["RECONMESH_BUS_GENERATE_PASSWORDS"] = "1",
            ["RECONMESH_BUS_CONNECTOR_PREFIX"] = "connector.acme.",
        };
        var users = new BusUsers(broker, environment, passwords);
        await users.RunAsync("apply");
        return users;
    }

    public string User(string role) => _environment["RECONMESH_BUS_USER_PREFIX"] + role;

    /// <summary>The AMQP URI of <paramref name="role"/>'s user on the virtual host.</summary>
    public string Url(string role) => new UriBuilder(_broker)
    {
        UserName = Uri.EscapeDataString(User(role)),
        Password = Uri.EscapeDataString(File.ReadAllText(Path.Combine(_passwords, role)).Trim()),
    }.Uri.ToString();

    /// <summary>The setting that makes a service connect as <paramref name="role"/>.</summary>
    public Dictionary<string, string?> SettingsOf(string role) => new() { ["ReconMesh:RabbitMq"] = Url(role) };

    public async ValueTask DisposeAsync()
    {
        await RunAsync("delete");
        Directory.Delete(_passwords, recursive: true);
    }

    private async Task RunAsync(string verb)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(ServiceProcesses.RepositoryRoot(), "deploy", "local", "rabbitmq-users.sh"));
        start.ArgumentList.Add(verb);
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmq-users.sh {verb} exited {process.ExitCode}: {await errors}{await output}");
        }
    }
}
