using System.Text.Json;

namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>Edits of an invoice: the API's JSON-Patch and the admin API's edit "by a person".</summary>
internal sealed partial class CwSite
{
    /// <summary>Invoice fields a JSON-Patch may set to a string (or null), stored as they are.</summary>
    private static readonly string[] PatchableTextFields =
        ["reference", "customerPO", "internalNotes", "topComment", "bottomComment", "attention", "shipToAttention", "accountNumber"];

    /// <summary><c>PATCH /finance/invoices/{id}</c> with a JSON-Patch array; all operations apply or none.</summary>
    public CwInvoice PatchInvoice(int id, JsonElement body, CwActor actor)
    {
        var invoice = RequireInvoice(id);
        if (body.ValueKind != JsonValueKind.Array)
        {
            throw CwErrors.BadRequest("The request body must be a JSON array of patch operations such as [{\"op\":\"replace\",\"path\":\"status\",\"value\":{\"id\":3}}].");
        }

        var changes = new List<Action>();
        var errors = new List<CwValidationError>();
        foreach (var operation in body.EnumerateArray())
        {
            var reader = new CwBodyReader(operation, "patchOperation");
            var op = reader.String("op", required: true);
            var path = reader.String("path", required: true);
            var value = reader.Raw("value");
            try
            {
                reader.Finish();
            }
            catch (CwErrorException ex)
            {
                errors.AddRange(ex.Errors);
                continue;
            }

            if (!string.Equals(op, "replace", StringComparison.OrdinalIgnoreCase) && !string.Equals(op, "add", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(new CwValidationError("InvalidField", $"The operation '{op}' is not supported; use replace.", "invoice", path!));
                continue;
            }

            var field = path!.Trim().Trim('/');
            var change = PatchChange(invoice, field, value, errors);
            if (change is not null)
            {
                changes.Add(change);
            }
        }

        if (errors.Count > 0)
        {
            throw CwErrors.Invalid("invoice", [.. errors]);
        }

        if (changes.Count == 0)
        {
            return invoice;
        }

        foreach (var change in changes)
        {
            change();
        }

        invoice.Audit.Touch(Now, actor.Member);
        Notify(invoice, "updated", actor);
        return invoice;
    }

    private Action? PatchChange(CwInvoice invoice, string field, JsonElement? value, List<CwValidationError> errors)
    {
        CwValidationError Error(string message) => new("InvalidField", message, "invoice", field);
        switch (field.ToUpperInvariant())
        {
            case "STATUS" or "STATUS/ID" or "STATUS/NAME":
            {
                var statusId = StatusFromPatch(field, value, out var problem);
                if (problem is not null)
                {
                    errors.Add(Error(problem));
                    return null;
                }

                return () => invoice.StatusId = statusId;
            }

            case "DUEDATE" or "DATE":
            {
                if (value is not { ValueKind: JsonValueKind.String } text || !CwJson.TryParseDate(text.GetString(), out var date))
                {
                    errors.Add(Error($"The {field} value must be a date-time such as 2024-03-01T00:00:00Z."));
                    return null;
                }

                return field.Equals("date", StringComparison.OrdinalIgnoreCase) ? () => invoice.Date = date : () => invoice.DueDate = date;
            }

            case "INVOICENUMBER":
            {
                var number = value is { ValueKind: JsonValueKind.String } text ? text.GetString()!.Trim() : null;
                if (string.IsNullOrEmpty(number) || number.Length > MaxInvoiceNumberLength)
                {
                    errors.Add(Error($"The invoiceNumber must be a string of 1 to {MaxInvoiceNumberLength} characters."));
                    return null;
                }

                if (Invoices.Values.Any(i => i.Id != invoice.Id && string.Equals(i.InvoiceNumber, number, StringComparison.OrdinalIgnoreCase)))
                {
                    errors.Add(Error($"Invoice number {number} is already in use."));
                    return null;
                }

                return () => invoice.InvoiceNumber = number;
            }

            default:
            {
                var text = PatchableTextFields.FirstOrDefault(f => string.Equals(f, field, StringComparison.OrdinalIgnoreCase));
                if (text is not null)
                {
                    if (value is { ValueKind: not (JsonValueKind.String or JsonValueKind.Null) })
                    {
                        errors.Add(Error($"The {text} value must be a string or null."));
                        return null;
                    }

                    var newValue = value is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;
                    return () => invoice.Extra[text] = newValue;
                }

                var known = CwFieldMap.Invoice.TryResolve(field, out _, out _) || InvoiceExtraFields.Contains(field, StringComparer.OrdinalIgnoreCase);
                errors.Add(Error(known
                    ? $"The field {field} cannot be changed with PATCH in the ConnectWise simulator (amounts change through payments)."
                    : $"The field {field} is not a field of invoice."));
                return null;
            }
        }
    }

    private int StatusFromPatch(string field, JsonElement? value, out string? problem)
    {
        problem = null;
        int? id = null;
        string? name = null;
        if (value is { ValueKind: JsonValueKind.Object } reference)
        {
            foreach (var property in reference.EnumerateObject())
            {
                if (property.NameEquals("id") && property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out var parsed))
                {
                    id = parsed;
                }
                else if (property.NameEquals("name") && property.Value.ValueKind == JsonValueKind.String)
                {
                    name = property.Value.GetString();
                }
            }
        }
        else if (value is { ValueKind: JsonValueKind.Number } number && number.TryGetInt32(out var direct) && !field.EndsWith("name", StringComparison.OrdinalIgnoreCase))
        {
            id = direct;
        }
        else if (value is { ValueKind: JsonValueKind.String } text && field.EndsWith("name", StringComparison.OrdinalIgnoreCase))
        {
            name = text.GetString();
        }

        var status = id is { } statusId
            ? Statuses.GetValueOrDefault(statusId)
            : name is not null ? Statuses.Values.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)) : null;
        if (id is null && name is null)
        {
            problem = "The status value must be a billing status reference such as {\"id\": 3}.";
        }
        else if (status is null)
        {
            problem = id is not null ? $"Billing status {id} does not exist." : $"Billing status '{name}' does not exist.";
        }
        else if (status.InactiveFlag)
        {
            problem = $"Billing status {status.Id} ({status.Name}) is inactive.";
        }

        return status?.Id ?? 0;
    }

    /// <summary>The admin API's edit "by a person": total, dueDate, status, credits, invoiceNumber.</summary>
    public CwInvoice AdminPatchInvoice(int id, JsonElement body, CwActor actor)
    {
        var invoice = RequireInvoice(id);
        var reader = new CwBodyReader(body, "invoice");
        var total = reader.Money("total");
        var credits = reader.Money("credits");
        var dueDate = reader.Date("dueDate");
        int? statusId = null;
        if (reader.Raw("status") is { } statusValue)
        {
            var found = StatusFromPatch(statusValue.ValueKind == JsonValueKind.String ? "status/name" : "status", statusValue, out var problem);
            if (problem is not null)
            {
                reader.AddError("status", "InvalidField", problem);
            }
            else
            {
                statusId = found;
            }
        }

        var number = reader.String("invoiceNumber", maxLength: MaxInvoiceNumberLength);
        if (number is not null && Invoices.Values.Any(i => i.Id != id && string.Equals(i.InvoiceNumber, number, StringComparison.OrdinalIgnoreCase)))
        {
            reader.AddError("invoiceNumber", "InvalidField", $"Invoice number {number} is already in use.");
        }

        var newTotal = total ?? invoice.Total;
        var newCredits = credits ?? invoice.Credits;
        if (newTotal - invoice.Payments - newCredits < 0m)
        {
            reader.AddError(total is not null ? "total" : "credits", "InvalidField",
                $"The total ({newTotal}) cannot be less than the payments ({invoice.Payments}) plus credits ({newCredits}) already applied.");
        }

        reader.Finish();
        if (total is not null)
        {
            invoice.Total = newTotal;
            invoice.SalesTax = Math.Min(invoice.SalesTax, newTotal);
            invoice.Subtotal = newTotal - invoice.SalesTax;
        }

        invoice.Credits = newCredits;
        invoice.DueDate = dueDate ?? invoice.DueDate;
        invoice.StatusId = statusId ?? invoice.StatusId;
        invoice.InvoiceNumber = number ?? invoice.InvoiceNumber;
        invoice.Audit.Touch(Now, actor.Member);
        Notify(invoice, "updated", actor);
        return invoice;
    }
}
