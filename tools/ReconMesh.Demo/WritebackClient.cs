using System.Net.Http.Json;
using System.Text.Json;

namespace ReconMesh.Demo;

/// <summary>The WritebackService's operator API: where each tenant's payments are, and its exceptions queue.</summary>
internal sealed class WritebackClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record PaymentOnItsWay(Guid MeshPaymentId, string PaymentId, string State, DateTimeOffset UpdatedAt);

    public sealed record PaymentStates(string TenantId, int Payments, Dictionary<string, int> States, int OnTheirWay, IReadOnlyList<PaymentOnItsWay> Oldest);

    public sealed record Exception(Guid MeshPaymentId, string PaymentId, string State, string? ReasonCode, string? Reason, string? Stage);

    public sealed record Payment(Guid MeshPaymentId, string PaymentId, string State);

    public async Task<PaymentStates> StatesAsync(string tenant) =>
        (await http.GetFromJsonAsync<PaymentStates>($"/tenants/{Uri.EscapeDataString(tenant)}/payments", Json))!;

    public async Task<IReadOnlyList<Exception>> ExceptionsAsync(string tenant) =>
        (await http.GetFromJsonAsync<List<Exception>>($"/tenants/{Uri.EscapeDataString(tenant)}/exceptions", Json))!;

    /// <summary>One payment's state, or null when the WritebackService has not heard of it.</summary>
    public async Task<Payment?> PaymentAsync(string tenant, Guid meshPaymentId)
    {
        using var response = await http.GetAsync($"/tenants/{Uri.EscapeDataString(tenant)}/payments/{meshPaymentId}");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<Payment>(Json) : null;
    }
}
