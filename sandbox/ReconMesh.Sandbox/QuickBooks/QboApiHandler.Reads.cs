using Microsoft.AspNetCore.Http;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>Reads of the v3 API: entities by id, CompanyInfo, change data capture and queries, under the company's read lock.</summary>
internal sealed partial class QboApiHandler
{
    private static QboHttpResponse Get(QboCompany company, string[] segments, IQueryCollection query)
    {
        if (segments.Length == 1 && segments[0].Equals("query", StringComparison.OrdinalIgnoreCase))
        {
            return RunQuery(company, query["query"].ToString());
        }

        if (segments.Length == 1 && segments[0].Equals("cdc", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var (entities, since) = QboCompany.ParseCdcRequest(query["entities"].ToString(), query["changedSince"].ToString(), company.Clock);
                using (company.Reading())
                {
                    var changes = company.ChangeDataCapture(entities, since);
                    return new QboHttpResponse(StatusCodes.Status200OK, QboWire.ChangeDataCapture(changes, company.Clock.ResponseTime()));
                }
            }
            catch (QboFaultException fault)
            {
                return Fault(fault, company);
            }
        }

        if (segments.Length == 2 && segments[0].Equals("companyinfo", StringComparison.OrdinalIgnoreCase))
        {
            using (company.Reading())
            {
                return segments[1] == company.RealmId
                    ? Envelope(company, QboSchemas.CompanyInfo, company.CompanyInfo())
                    : Fault(QboFaults.NotFound(deleted: false), company);
            }
        }

        if (segments.Length == 2 && QboSchemas.Readable.TryGetValue(segments[0], out var entity))
        {
            using (company.Reading())
            {
                try
                {
                    return Envelope(company, entity, company.Read(entity, segments[1]));
                }
                catch (QboFaultException fault)
                {
                    return Fault(fault, company);
                }
            }
        }

        return Fault(QboFaults.Unsupported($"GET {string.Join('/', segments)}"), company);
    }

    private static QboHttpResponse RunQuery(QboCompany company, string text)
    {
        try
        {
            var query = QboQueryParser.Parse(text);
            using (company.Reading())
            {
                var result = company.Query(query);
                return new QboHttpResponse(StatusCodes.Status200OK, QboWire.QueryResponse(result, company.Clock.ResponseTime()));
            }
        }
        catch (QboFaultException fault)
        {
            return Fault(fault, company);
        }
    }
}
