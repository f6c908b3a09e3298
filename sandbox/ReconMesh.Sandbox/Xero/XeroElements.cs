using System.Globalization;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Xero;

/// <summary>Reading the fields of one element of a write as Xero's clients send them.</summary>
internal static class XeroElements
{
    public static string? Text(JsonObject element, string name) =>
        element[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>A number, or a number in a string (Xero's clients send both).</summary>
    public static decimal? Number(JsonObject element, string name) => element[name] switch
    {
        JsonValue value when value.TryGetValue<decimal>(out var number) => number,
        JsonValue value when value.TryGetValue<string>(out var text)
            && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    public static bool Flag(JsonObject element, string name) =>
        element[name] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    /// <summary>A record an element refers to by its id (<paramref name="idName"/>) or else by its key (number or code).</summary>
    public static T? Resolve<T>(JsonObject? reference, string idName, string keyName, Func<Guid, T?> byId, Func<string, T?> byKey,
        string missing, string notFound, List<string> errors)
        where T : class
    {
        var id = reference is null ? null : Text(reference, idName);
        var key = reference is null ? null : Text(reference, keyName);
        if (string.IsNullOrWhiteSpace(id) && string.IsNullOrWhiteSpace(key))
        {
            errors.Add(missing);
            return null;
        }

        var found = !string.IsNullOrWhiteSpace(id)
            ? Guid.TryParse(id, out var guid) ? byId(guid) : null
            : key!.Length <= XeroOrganisation.MaxTextLength ? byKey(key) : null;
        if (found is null)
        {
            errors.Add(notFound);
        }

        return found;
    }

    /// <summary>An account by AccountID or Code that must be active (and, with <paramref name="bankOnly"/>, of type BANK).</summary>
    public static XeroAccount? Account(XeroOrganisation organisation, JsonObject? reference, string missing, bool bankOnly, List<string> errors)
    {
        var account = Resolve(reference, "AccountID", "Code", organisation.Accounts.GetValueOrDefault, organisation.AccountByCode,
            missing, XeroMessages.AccountNotFound, errors);
        if (account is { Status: not "ACTIVE" })
        {
            errors.Add(XeroMessages.AccountArchived);
        }
        else if (bankOnly && account is { Type: not "BANK" })
        {
            errors.Add(XeroMessages.NotABankAccount);
        }

        return account;
    }

    /// <summary>A date the write must carry, or <paramref name="missing"/> among the errors.</summary>
    public static DateOnly Date(JsonObject element, string missing, List<string> errors)
    {
        if (XeroDates.TryParseDate(Text(element, "Date"), out var date))
        {
            return date;
        }

        errors.Add(missing);
        return default;
    }

    /// <summary>A Reference of at most 255 characters.</summary>
    public static string? Reference(JsonObject element, List<string> errors)
    {
        var reference = Text(element, "Reference");
        if (reference?.Length > XeroOrganisation.MaxTextLength)
        {
            errors.Add(XeroMessages.ReferenceTooLong);
        }

        return reference;
    }
}
