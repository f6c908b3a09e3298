using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.ConnectWise;

internal sealed partial class CwSite
{
    public const int MaxInvoiceNumberLength = 15;

    private static readonly string[] InvoiceTypes = ["Agreement", "CreditMemo", "DownPayment", "Miscellaneous", "Progress", "Standard"];

    /// <summary>Invoice fields the simulator accepts and echoes without interpreting them.</summary>
    private static readonly string[] InvoiceExtraFields =
    [
        "accountNumber", "applyToId", "attention", "shipToAttention", "billingSite", "billingSiteAddressLine1", "billingSiteAddressLine2",
        "billingSiteCity", "billingSiteState", "billingSiteZip", "billingSiteCountry", "shippingSite", "shippingSiteAddressLine1",
        "shippingSiteAddressLine2", "shippingSiteCity", "shippingSiteState", "shippingSiteZip", "shippingSiteCountry", "billingTerms",
        "reference", "customerPO", "templateSetupId", "invoiceTemplate", "emailTemplateId", "addToBatchEmailList", "restrictDownpaymentFlag",
        "locationId", "departmentId", "territoryId", "topComment", "bottomComment", "taxableFlag", "taxCode", "internalNotes",
        "downpaymentPreviouslyTaxedFlag", "serviceTotal", "overrideDownPaymentAmountFlag", "expenseTotal", "productTotal",
        "previousProgressApplied", "serviceAdjustmentAmount", "agreementAmount", "downpaymentApplied", "remainingDownpayment",
        "adjustmentReason", "adjustedBy", "billingSetupReference", "ticket", "project", "phase", "salesOrder", "agreement", "customFields",
    ];

    /// <summary>Invoice fields a JSON-Patch may set to a string (or null), stored as they are.</summary>
    private static readonly string[] PatchableTextFields =
        ["reference", "customerPO", "internalNotes", "topComment", "bottomComment", "attention", "shipToAttention", "accountNumber"];

    // ------------------------------------------------------------------ invoices

    /// <summary><c>POST /finance/invoices</c> (and the admin API's create): validates everything, then stores.</summary>
    public CwInvoice CreateInvoice(JsonElement body, CwActor actor)
    {
        var reader = new CwBodyReader(body, "invoice");
        reader.Ignore("id", "payments", "balance", "_info", "closedBy", "glBatch", "unbatchedBatch");
        var type = reader.String("type", required: true);
        if (type is not null)
        {
            type = InvoiceTypes.FirstOrDefault(t => string.Equals(t, type, StringComparison.OrdinalIgnoreCase));
            if (type is null)
            {
                reader.AddError("type", "InvalidField", $"The type field must be one of {string.Join(", ", InvoiceTypes)}.");
            }
        }

        var companyId = reader.ReferenceId("company", required: true);
        if (companyId is { } cid && !Companies.ContainsKey(cid))
        {
            reader.AddError("company", "InvalidField", $"Company {cid} does not exist.");
        }

        var billToId = reader.ReferenceId("billToCompany");
        if (billToId is { } bid && !Companies.ContainsKey(bid))
        {
            reader.AddError("billToCompany", "InvalidField", $"Company {bid} does not exist.");
        }

        reader.Ignore("shipToCompany");
        var statusId = reader.ReferenceId("status");
        if (statusId is { } sid)
        {
            CheckStatus(reader, sid);
        }

        var number = reader.String("invoiceNumber", maxLength: MaxInvoiceNumberLength);
        if (number is not null && Invoices.Values.Any(i => string.Equals(i.InvoiceNumber, number, StringComparison.OrdinalIgnoreCase)))
        {
            reader.AddError("invoiceNumber", "InvalidField", $"Invoice number {number} is already in use.");
        }

        var date = reader.Date("date");
        var dueDate = reader.Date("dueDate");
        var currency = ReadCurrency(reader, companyId is { } c2 && Companies.TryGetValue(c2, out var owner) ? owner.Currency : DefaultCurrency);
        var subtotal = reader.Money("subtotal");
        var salesTax = reader.Money("salesTax");
        var total = reader.Money("total");
        var credits = reader.Money("credits") ?? 0m;
        var extra = new JsonObject();
        foreach (var field in InvoiceExtraFields)
        {
            if (reader.Raw(field) is { } value)
            {
                extra[field] = JsonNode.Parse(value.GetRawText());
            }
        }

        var tax = salesTax ?? 0m;
        var sum = total ?? (subtotal ?? 0m) + tax;
        var sub = subtotal ?? sum - tax;
        if (sub < 0m)
        {
            reader.AddError("salesTax", "InvalidField", "The salesTax cannot exceed the total.");
        }
        else if (sub + tax != sum)
        {
            reader.AddError("total", "InvalidField", $"The total ({sum}) must equal subtotal ({sub}) plus salesTax ({tax}).");
        }

        if (credits > sum)
        {
            reader.AddError("credits", "InvalidField", "The credits cannot exceed the total.");
        }

        reader.Finish();
        var now = Now;
        var invoiceDate = date ?? new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var invoice = new CwInvoice
        {
            Id = _nextInvoiceId++,
            InvoiceNumber = number ?? NextInvoiceNumber(),
            Type = type!,
            StatusId = statusId ?? Statuses.Values.First(s => s.DefaultFlag).Id,
            CompanyId = companyId!.Value,
            BillToCompanyId = billToId ?? companyId.Value,
            Date = invoiceDate,
            DueDate = dueDate ?? invoiceDate.AddDays(30),
            Currency = currency,
            Subtotal = sub,
            SalesTax = tax,
            Total = sum,
            Credits = credits,
            Audit = new CwAudit(now, actor.Member),
        };
        foreach (var (key, value) in extra)
        {
            invoice.Extra[key] = value?.DeepClone();
        }

        Invoices.Add(invoice.Id, invoice);
        Notify(invoice, "added", actor);
        return invoice;
    }

    public CwInvoice RequireInvoice(int id) =>
        Invoices.TryGetValue(id, out var invoice) ? invoice : throw CwErrors.NotFound($"Invoice ID {id} not found");

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

    private void CheckStatus(CwBodyReader reader, int statusId)
    {
        if (!Statuses.TryGetValue(statusId, out var status))
        {
            reader.AddError("status", "InvalidField", $"Billing status {statusId} does not exist.");
        }
        else if (status.InactiveFlag)
        {
            reader.AddError("status", "InvalidField", $"Billing status {statusId} ({status.Name}) is inactive.");
        }
    }

    private static CwCurrency ReadCurrency(CwBodyReader reader, CwCurrency fallback)
    {
        if (reader.Raw("currency") is not { } value)
        {
            return fallback;
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
            {
                if (property.NameEquals("id") && property.Value.TryGetInt32(out var id) && Currencies.FirstOrDefault(c => c.Id == id) is { } byId)
                {
                    return byId;
                }

                if (property.NameEquals("currencyCode") && property.Value.ValueKind == JsonValueKind.String && FindCurrency(property.Value.GetString()!) is { } byCode)
                {
                    return byCode;
                }
            }
        }

        reader.AddError("currency", "InvalidField", $"The currency must reference one of {string.Join(", ", Currencies.Select(c => $"{c.Id} ({c.Code})"))}.");
        return fallback;
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

    public void DeleteInvoice(int id, CwActor actor)
    {
        var invoice = RequireInvoice(id);
        if (invoice.PaymentIds.Count > 0)
        {
            throw CwErrors.Field("invoice", "payments", "InvalidField", $"Invoice ID {id} has payments applied; delete them first.");
        }

        Invoices.Remove(id);
        Notify(invoice, "deleted", actor);
    }

    // ------------------------------------------------------------------ payments

    /// <summary><c>POST /finance/invoices/{id}/payments</c>: amount above zero and at most the balance.</summary>
    public CwPayment AddPayment(int invoiceId, JsonElement body, CwActor actor)
    {
        var invoice = RequireInvoice(invoiceId);
        var reader = new CwBodyReader(body, "payment");
        reader.Ignore("id", "_info", "credit");
        var type = reader.String("type", maxLength: 50);
        var amount = reader.Money("amount", required: true);
        var paymentDate = reader.Date("paymentDate");
        var appliedBy = reader.String("appliedBy", maxLength: 50);
        var referenced = reader.ReferenceId("invoice");
        if (referenced is { } other && other != invoiceId)
        {
            reader.AddError("invoice", "InvalidField", $"The invoice reference ({other}) does not match the invoice in the URL ({invoiceId}).");
        }

        if (amount is { } value)
        {
            if (value <= 0m)
            {
                reader.AddError("amount", "InvalidField", "The amount must be greater than zero.");
            }
            else if (value > invoice.Balance)
            {
                reader.AddError("amount", "InvalidField", $"The amount ({value}) cannot exceed the invoice balance ({invoice.Balance}).");
            }
        }

        reader.Finish();
        var now = Now;
        var payment = new CwPayment
        {
            Id = _nextPaymentId++,
            InvoiceId = invoiceId,
            Type = string.IsNullOrWhiteSpace(type) ? "Payment" : type.Trim(),
            Amount = amount!.Value,
            PaymentDate = paymentDate ?? now,
            AppliedBy = appliedBy ?? actor.Member,
            Audit = new CwAudit(now, actor.Member),
        };
        Payments.Add(payment.Id, payment);
        invoice.PaymentIds.Add(payment.Id);
        invoice.Payments += payment.Amount;
        invoice.Audit.Touch(now, actor.Member);
        Notify(invoice, "updated", actor);
        return payment;
    }

    public CwPayment RequirePayment(int invoiceId, int paymentId)
    {
        RequireInvoice(invoiceId);
        return Payments.TryGetValue(paymentId, out var payment) && payment.InvoiceId == invoiceId
            ? payment
            : throw CwErrors.NotFound($"Payment ID {paymentId} not found");
    }

    /// <summary><c>DELETE /finance/invoices/{id}/payments/{paymentId}</c>: the balance comes back.</summary>
    public void DeletePayment(int invoiceId, int paymentId, CwActor actor)
    {
        var payment = RequirePayment(invoiceId, paymentId);
        var invoice = Invoices[invoiceId];
        Payments.Remove(paymentId);
        invoice.PaymentIds.Remove(paymentId);
        invoice.Payments -= payment.Amount;
        invoice.Audit.Touch(Now, actor.Member);
        Notify(invoice, "updated", actor);
    }

    // ------------------------------------------------------------------ callbacks

    public CwCallbackEntry AddCallback(JsonElement body, CwActor actor)
    {
        var reader = new CwBodyReader(body, "callbackEntry");
        reader.Ignore("id", "_info");
        var description = reader.String("description", maxLength: 100);
        var url = reader.String("url", required: true, maxLength: 1000);
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            reader.AddError("url", "InvalidField", "The url field must be an absolute http or https URL.");
        }

        var objectId = reader.Int("objectId", required: true);
        var type = reader.String("type", required: true, maxLength: 50);
        var level = reader.String("level", required: true, maxLength: 50);
        var memberId = reader.Int("memberId");
        var payloadVersion = reader.String("payloadVersion", maxLength: 10);
        var inactive = reader.Bool("inactiveFlag");
        var soap = reader.Bool("isSoapCallbackFlag");
        var selfSuppressed = reader.Bool("isSelfSuppressedFlag");
        reader.Finish();
        var entry = new CwCallbackEntry
        {
            Id = _nextCallbackId++,
            Description = description,
            Url = url!,
            ObjectId = objectId!.Value,
            Type = type!.Trim(),
            Level = level!.Trim(),
            MemberId = memberId ?? ApiMemberId,
            PayloadVersion = payloadVersion ?? "1.0",
            InactiveFlag = inactive ?? false,
            IsSoapCallbackFlag = soap ?? false,
            IsSelfSuppressedFlag = selfSuppressed ?? false,
            Audit = new CwAudit(Now, actor.Member),
        };
        Callbacks.Add(entry.Id, entry);
        return entry;
    }

    /// <summary>
    /// Queues the summarized payload of an invoice change for every active Invoice callback whose level covers it
    /// (Owner: all; Company: the invoice's company; any other level: the invoice itself). A self-suppressed callback
    /// skips changes made through the API. Delivery happens off the request, in <see cref="CwCallbackDispatcher"/>.
    /// </summary>
    private void Notify(CwInvoice invoice, string action, CwActor actor)
    {
        var targets = Callbacks.Values.Where(c => !c.InactiveFlag
            && string.Equals(c.Type, "invoice", StringComparison.OrdinalIgnoreCase)
            && !(c.IsSelfSuppressedFlag && actor.ViaApi)
            && c.Level.ToUpperInvariant() switch
            {
                "OWNER" or "ALL" => true,
                "COMPANY" => c.ObjectId == invoice.CompanyId,
                _ => c.ObjectId == invoice.Id,
            }).ToList();
        if (targets.Count == 0)
        {
            return;
        }

        var entity = action == "deleted" ? null : CwJson.SerializeToString(InvoiceJson(invoice, actor.BaseUrl));
        var payload = new JsonObject
        {
            ["Action"] = action,
            [nameof(CompanyId)] = CompanyId,
            ["Entity"] = entity,
            ["FromUrl"] = Uri.TryCreate(actor.BaseUrl, UriKind.Absolute, out var from) ? from.Authority : actor.BaseUrl,
            ["ID"] = invoice.Id,
            ["MemberId"] = actor.Member,
            ["Metadata"] = new JsonObject { ["key_url"] = $"{actor.BaseUrl}/system/callbackKeys/{SigningKeyId}" },
            ["Type"] = "invoice",
        };
        var body = CwJson.Serialize(payload);
        var signature = Sign(body);
        foreach (var target in targets)
        {
            _dispatcher.Enqueue(new CwDelivery(target.Url, body, signature, CompanyId, target.Id));
        }
    }

    /// <summary><c>x-content-signature</c>: base64(HMAC-SHA256(SHA256(signing_key), body)).</summary>
    public string Sign(byte[] body)
    {
        var key = SHA256.HashData(Encoding.UTF8.GetBytes(SigningKey));
        return Convert.ToBase64String(HMACSHA256.HashData(key, body));
    }
}
