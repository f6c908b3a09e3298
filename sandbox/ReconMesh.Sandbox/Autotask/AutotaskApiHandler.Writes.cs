using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Autotask;

/// <summary>
/// <c>PATCH /V1.0/Invoices</c> with <c>{"id": …, …}</c>: the only write Autotask's API allows on invoices (they are
/// made by Autotask's billing; a POST is refused). Only <c>invoiceNumber</c>, <c>webServiceDate</c> and
/// <c>paidDate</c> may be sent (null clears a date); <c>paidDate</c> keeps the date only. Any other field refuses the
/// whole update (nothing changes). Answers <c>{"itemId": id}</c>.
/// </summary>
internal sealed partial class AutotaskApiHandler
{
    private const int MaxInvoiceNumberLength = 50;

    private static AutotaskHttpResponse UpdateInvoice(AutotaskDatabase database, byte[] body)
    {
        var entity = AutotaskEntity.Invoices;
        using (var document = AutotaskQuery.ParseJson(body, 16, AutotaskMessages.BodyNotObject))
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw AutotaskErrors.Error(AutotaskMessages.BodyNotObject);
            }

            var idProperty = root.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, "id", StringComparison.OrdinalIgnoreCase));
            if (idProperty.Value.ValueKind != JsonValueKind.Number || !idProperty.Value.TryGetInt64(out var id))
            {
                throw AutotaskErrors.Error(AutotaskMessages.UpdateNeedsId);
            }

            var changes = new List<(AutotaskField Field, object? Value)>();
            foreach (var property in root.EnumerateObject().Where(p => !string.Equals(p.Name, "id", StringComparison.OrdinalIgnoreCase)))
            {
                var field = entity.Field(property.Name) ?? throw AutotaskErrors.Error(AutotaskMessages.UnknownField(entity, property.Name));
                if (!field.Updatable)
                {
                    throw AutotaskErrors.Error(AutotaskMessages.ReadOnlyField(entity, id, field.Name));
                }

                changes.Add((field, UpdateValue(entity, id, field, property.Value)));
            }

            lock (database.Gate)
            {
                var invoice = database.Find(entity, id) ?? throw AutotaskErrors.Error(AutotaskMessages.NotFoundForUpdate(entity, id));
                foreach (var (field, value) in changes)
                {
                    if (field.Name == "invoiceNumber")
                    {
                        database.SetInvoiceNumber(invoice, (string)value!);
                    }
                    else
                    {
                        invoice[field.Name] = value;
                    }
                }
            }

            return AutotaskHttpResponse.Ok(new JsonObject { ["itemId"] = id });
        }
    }

    private static object? UpdateValue(AutotaskEntity entity, long id, AutotaskField field, JsonElement value)
    {
        if (field.Name == "invoiceNumber")
        {
            return value.ValueKind == JsonValueKind.String && value.GetString()!.Trim() is { Length: > 0 and <= MaxInvoiceNumberLength } number
                ? number
                : throw AutotaskErrors.Error(AutotaskMessages.BadFieldValue(entity, id, field.Name));
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var date = value.ValueKind == JsonValueKind.String ? AutotaskWire.ParseDate(value.GetString()!) : null;
        return date is not { } parsed
            ? throw AutotaskErrors.Error(AutotaskMessages.BadFieldValue(entity, id, field.Name))
            : field.Name == "paidDate" ? parsed.Date : parsed;
    }
}
