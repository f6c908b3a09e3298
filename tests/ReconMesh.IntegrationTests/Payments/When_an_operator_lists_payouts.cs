using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// WritebackService's list of a tenant's payouts against their deposits (<c>GET /tenants/{t}/payouts</c>): each payout's
/// amount and fees beside the deposit the books hold (its total, account and id), whether they match, the ones needing a
/// person flagged and listed alone on asking; newest first, paged within bounds, a tenant's own only.
/// </summary>
[TestFixture]
public sealed class When_an_operator_lists_payouts
{
    private PaymentScenarioHarness _mesh = null!;
    private PayoutPair.Pair _pair = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _mesh = await PaymentScenarioHarness.StartAsync(invoices: 4);
        _pair = await PayoutPair.PaidOutTwiceAsync(_mesh);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _mesh.DisposeAsync();

    private async Task<JsonElement> ListAsync(string query = "")
    {
        using var response = await _mesh.Writeback.GetAsync($"/tenants/{_mesh.Tenant}/payouts{query}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static JsonElement Line(JsonElement page, string payoutId) =>
        page.GetProperty("payouts").EnumerateArray().Single(p => p.GetProperty("payoutId").GetString() == payoutId);

    [Test]
    public async Task A_deposit_for_the_payouts_amount_matches_and_one_never_made_needs_attention()
    {
        var page = await ListAsync();
        var payment = _pair.Payment;

        var matched = Line(page, _pair.Matched.PayoutId);
        Assert.Multiple(() =>
        {
            Assert.That(matched.GetProperty("outcome").GetString(), Is.EqualTo("Deposited"));
            Assert.That(matched.GetProperty("match").GetString(), Is.EqualTo("Matched"));
            Assert.That(matched.GetProperty("needsAttention").GetBoolean(), Is.False);
            Assert.That(matched.GetProperty("payoutAmount").GetDecimal(), Is.EqualTo(payment.Amount - payment.Fee));
            Assert.That(matched.GetProperty("fees").GetDecimal(), Is.EqualTo(payment.Fee));
            Assert.That(matched.GetProperty("depositAmount").GetDecimal(), Is.EqualTo(payment.Amount - payment.Fee));
            Assert.That(matched.GetProperty("currency").GetString(), Is.EqualTo("USD"));
            Assert.That(matched.GetProperty("payments").GetInt32(), Is.EqualTo(1));
            Assert.That(matched.GetProperty("externalDepositId").GetString(), Is.EqualTo(_pair.MatchedOutcome.GetProperty("externalDepositId").GetString()));
            Assert.That(matched.GetProperty("depositAccountId").GetString(), Is.EqualTo(PaymentScenarioHarness.CheckingAccountId));
            Assert.That(matched.GetProperty("connectionId").GetGuid(), Is.Not.EqualTo(Guid.Empty));
        });

        var unmatched = Line(page, _pair.Unmatched.PayoutId);
        Assert.Multiple(() =>
        {
            Assert.That(unmatched.GetProperty("outcome").GetString(), Is.EqualTo("NeedsAttention"));
            Assert.That(unmatched.GetProperty("match").GetString(), Is.EqualTo("NotDeposited"));
            Assert.That(unmatched.GetProperty("needsAttention").GetBoolean(), Is.True);
            Assert.That(unmatched.GetProperty("reasonCode").GetString(), Is.EqualTo("payment-already-settled"));
            Assert.That(unmatched.GetProperty("payoutAmount").GetDecimal(), Is.EqualTo(payment.Amount - payment.Fee));
            Assert.That(unmatched.GetProperty("depositAmount").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(page.GetProperty("needingAttention").GetInt32(), Is.EqualTo(1));
            Assert.That(page.GetProperty("total").GetInt32(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task The_newest_comes_first_a_page_at_a_time_and_those_needing_attention_alone_on_asking()
    {
        var first = await ListAsync("?pageSize=1");
        var second = await ListAsync("?pageSize=1&page=2");
        var attention = await ListAsync("?attention=true");

        Assert.That(first.GetProperty("payouts").EnumerateArray().Select(p => p.GetProperty("payoutId").GetString()),
            Is.EqualTo(new[] { _pair.Unmatched.PayoutId }), "decided last, listed first");
        Assert.That(second.GetProperty("payouts").EnumerateArray().Select(p => p.GetProperty("payoutId").GetString()),
            Is.EqualTo(new[] { _pair.Matched.PayoutId }));
        Assert.That(attention.GetProperty("payouts").EnumerateArray().Select(p => p.GetProperty("payoutId").GetString()),
            Is.EqualTo(new[] { _pair.Unmatched.PayoutId }));
        Assert.That(attention.GetProperty("total").GetInt32(), Is.EqualTo(1));
    }

    [TestCase("?pageSize=0", "pageSize")]
    [TestCase("?pageSize=101", "pageSize")]
    [TestCase("?page=0", "page")]
    [TestCase("?page=10001", "page")]
    public async Task A_page_out_of_bounds_is_refused_with_its_reason(string query, string field)
    {
        using var response = await _mesh.Writeback.GetAsync($"/tenants/{_mesh.Tenant}/payouts{query}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task A_reader_sees_them_and_another_tenant_sees_none()
    {
        using var reader = TestAuth.WithToken(new HttpClient { BaseAddress = _mesh.Writeback.BaseAddress }, TestAuth.Token([_mesh.Tenant], AccessRoles.Read));
        var other = $"tenant-{Guid.NewGuid():N}";
        using var stranger = TestAuth.Operator(_mesh.Writeback.BaseAddress!, other);

        using var read = await reader.GetAsync($"/tenants/{_mesh.Tenant}/payouts");
        using var foreign = await stranger.GetAsync($"/tenants/{_mesh.Tenant}/payouts");
        var own = await stranger.GetFromJsonAsync<JsonElement>($"/tenants/{other}/payouts");

        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(foreign.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "another tenant's payouts are not found, as every tenant route answers");
        Assert.That(own.GetProperty("payouts").GetArrayLength(), Is.Zero);
        Assert.That(own.GetProperty("total").GetInt32(), Is.Zero);
    }
}
