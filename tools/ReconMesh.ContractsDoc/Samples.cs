using System.Security.Cryptography;
using System.Text;

namespace ReconMesh.ContractsDoc;

/// <summary>
/// Plausible, deterministic sample values for a contract's fields, chosen by the field's name and type, so that the
/// examples in the document read like real messages and do not change between runs.
/// </summary>
public static class Samples
{
    private static readonly Dictionary<string, string> Strings = new(StringComparer.Ordinal)
    {
        ["TenantId"] = "acme-msp",
        ["PaymentId"] = "pay_7Hq2XkR4vN",
        ["Currency"] = "USD",
        ["ExternalId"] = "1042",
        ["ExternalInvoiceId"] = "1042",
        ["Number"] = "INV-1042",
        ["CustomerExternalId"] = "58",
        ["CustomerName"] = "Northwind Traders",
        ["ContactName"] = "Accounts Payable",
        ["Email"] = "ap@northwind.example",
        ["Phone"] = "+1 555 0100",
        ["Description"] = "Managed services, October",
        ["ReasonCode"] = "invoice-not-synced",
        ["Reason"] = "Invoice 1042 has not been synced from QuickBooks Online yet.",
        ["ExternalPaymentIds"] = "2087",
        ["FailureCode"] = "R01",
        ["BaseUrl"] = "https://quickbooks.api.intuit.com/",
        ["RealmId"] = "9130357766900456",
        ["CredentialsSecret"] = "acme-quickbooks",
        ["DepositAccountId"] = "35",
        ["RemovedBy"] = "ops@acme-msp.example",
    };

    /// <summary>Where one name means different things in different messages: "Type.Field" wins over "Field".</summary>
    private static readonly Dictionary<string, string?> StringsByType = new(StringComparer.Ordinal)
    {
        // The sample connection is a QuickBooks one: the ConnectWise fields and the default accounts are absent.
        ["ConnectionAdded.CompanyId"] = null,
        ["ConnectionAdded.PublicKey"] = null,
        ["ConnectionAdded.ClientId"] = null,
        ["ConnectionAdded.FeesAccountId"] = null,
        ["ConnectionAdded.ReversalsAccountId"] = null,
        ["ConnectionAdded.SurchargeAccountId"] = null,
        ["PaymentFailed.Reason"] = "Insufficient funds",
        ["PaymentFailureAccepted.Reason"] = "Insufficient funds",
    };

    private static readonly Dictionary<string, decimal> Decimals = new(StringComparer.Ordinal)
    {
        ["Amount"] = 1250.00m,
        ["Total"] = 1250.00m,
        ["Balance"] = 1250.00m,
        ["Fee"] = 36.25m,
        ["AmountApplied"] = 1250.00m,
        ["BalanceAfter"] = 0.00m,
    };

    private static readonly DateTimeOffset Moment = new(2025, 10, 14, 16, 32, 5, TimeSpan.Zero);

    /// <summary>A sample for a field named <paramref name="name"/> of type <paramref name="type"/>; records are built recursively.</summary>
    public static object? For(Type type, string name, Type? declaringType = null)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string))
        {
            if (declaringType is not null && StringsByType.TryGetValue($"{declaringType.Name}.{name}", out var specific))
            {
                return specific;
            }

            return Strings.TryGetValue(name, out var s) ? s : name.ToLowerInvariant() + "-sample";
        }

        if (underlying == typeof(Guid))
        {
            return new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 16));
        }

        if (underlying == typeof(decimal))
        {
            return Decimals.TryGetValue(name, out var d) ? d : 100.00m;
        }

        if (underlying == typeof(long))
        {
            return 3L;
        }

        if (underlying == typeof(int))
        {
            return 3;
        }

        if (underlying == typeof(bool))
        {
            return true;
        }

        if (underlying == typeof(DateTimeOffset))
        {
            return name switch
            {
                "ProcessedAt" => Moment.AddSeconds(-2),
                "SyncedAt" => Moment.AddMinutes(-30),
                _ => Moment,
            };
        }

        if (underlying == typeof(TimeSpan))
        {
            return name == "PollInterval" ? TimeSpan.FromSeconds(30) : TimeSpan.FromHours(1);
        }

        if (underlying == typeof(DateOnly))
        {
            return name == "DueDate" ? new DateOnly(2025, 10, 31) : new DateOnly(2025, 10, 1);
        }

        if (underlying.IsEnum)
        {
            return Enum.GetValues(underlying).GetValue(0);
        }

        if (ContractTypes.ElementType(underlying) is { } element)
        {
            var array = Array.CreateInstance(element, 1);
            array.SetValue(For(element, name, declaringType), 0);
            return array;
        }

        return Build(underlying);
    }

    /// <summary>An instance of a positional record with a sample for each parameter.</summary>
    public static object Build(Type record)
    {
        var constructor = ContractTypes.PrimaryConstructor(record);
        var arguments = constructor.GetParameters().Select(p => For(p.ParameterType, p.Name!, record)).ToArray();
        return constructor.Invoke(arguments);
    }
}
