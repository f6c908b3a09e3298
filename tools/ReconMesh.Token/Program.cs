using System.Globalization;
using ReconMesh.ServiceDefaults.Security;

// ./run token: a bearer token of this machine's signing key (created on first use in the state directory), on stdout.
// Plain arguments rather than System.CommandLine: four options, and a dependency would be the only one of its kind in
// the repository (the demo and bench drivers read "--name value" pairs the same way).
const string Usage = """
    usage: ./run token --tenant T [--tenant T2 ...] [--role read|write|admin|metrics ...] [--hours H] [--subject NAME]
           ./run token --settings     the services' settings for this machine's key, as NAME=VALUE lines (environment variables)

      --tenant   a tenant the token may see (repeat for several); not needed with --role admin or --role metrics alone
      --role     read (default): GET on its tenants; write: also retry, dismiss, pause, resume, reconcile, add connections;
                 admin: every tenant; metrics: only /metrics
      --hours    how long it is valid (default 8, at most 720)
      --subject  who it is for, recorded as "sub" (default: the user name)
    """;

var tenants = new List<string>();
var roles = new List<string>();
var hours = 8.0;
var subject = Environment.UserName;
var settings = false;
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    try
    {
        switch (args[i])
        {
            case "--tenant": tenants.Add(Value()); break;
            case "--role": roles.Add(Value()); break;
            case "--hours": hours = double.Parse(Value(), CultureInfo.InvariantCulture); break;
            case "--subject": subject = Value(); break;
            case "--settings": settings = true; break;
            case "-h" or "--help": Console.WriteLine(Usage); return 0;
            default: throw new ArgumentException($"unknown option {args[i]}");
        }
    }
    catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
    {
        Console.Error.WriteLine($"token: {ex.Message}");
        Console.Error.WriteLine(Usage);
        return 2;
    }
}

using var key = LocalSigningKey.LoadOrCreate();
if (settings)
{
    foreach (var (name, value) in key.ServiceSettings)
    {
        Console.WriteLine($"{name.Replace(":", "__", StringComparison.Ordinal)}={value}");
    }

    return 0;
}

roles = roles.Count == 0 ? [AccessRoles.Read] : [.. roles.Distinct(StringComparer.Ordinal)];
var problem = roles.FirstOrDefault(r => !AccessRoles.All.Contains(r)) is { } unknown
    ? $"unknown role '{unknown}' (known: {string.Join(", ", AccessRoles.All)})"
    : tenants.Count == 0 && !roles.All(r => r is AccessRoles.Admin or AccessRoles.Metrics)
        ? "name at least one --tenant (or give --role admin)"
        : tenants.Any(string.IsNullOrWhiteSpace) ? "a --tenant is empty"
        : hours is <= 0 or > 720 ? "--hours must be above 0 and at most 720"
        : null;
if (problem is not null)
{
    Console.Error.WriteLine($"token: {problem}");
    Console.Error.WriteLine(Usage);
    return 2;
}

Console.WriteLine(key.Mint(subject, [.. tenants.Distinct(StringComparer.Ordinal)], roles, TimeSpan.FromHours(hours)));
return 0;
