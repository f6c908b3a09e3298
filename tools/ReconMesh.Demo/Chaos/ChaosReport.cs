using System.Globalization;
using System.Text.Json;

namespace ReconMesh.Demo.Chaos;

/// <summary>The run's outcome: its figures written to summary.json, and the report printed at the end.</summary>
internal static class ChaosReport
{
    private static readonly JsonSerializerOptions SummaryJson = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Task SaveAsync(string path, Dictionary<string, object?> summary) =>
        File.WriteAllTextAsync(path, JsonSerializer.Serialize(summary, SummaryJson));

    public static void Print(Dictionary<string, object?> summary, ChaosVerdict.Verdict verdict, List<string> errors, string path)
    {
        var tally = verdict.Run;
        Console.WriteLine();
        Console.WriteLine("ReconMesh chaos report");
        foreach (var key in new[] { "seed", "payments", "returned", "taken_back_after_payout", "payouts", "deposits_recorded", "replicas", "kills", "restarts", "orchestrator_restarts",
                     "lost", "duplicated", "wrong_amount", "deposits_wrong", "stuck", "needs_attention", "transient_exceptions", "overlapping_faults",
                     "faults_phase_seconds", "settle_seconds", "elapsed_seconds", "max_recovery_seconds" })
        {
            Console.WriteLine($"  {key,-22}{Convert.ToString(summary[key], CultureInfo.InvariantCulture),10}");
        }

        foreach (var (tenant, own) in verdict.ByTenant)
        {
            Console.WriteLine($"  {tenant.Kind,-12}{tenant.Ledger.Payments.Count,5} payments: {own.Lost} lost, {own.Duplicated} duplicated, " +
                $"{own.WrongAmount} wrong_amount, {own.DepositsWrong} deposits_wrong, {own.Stuck} stuck, {own.NeedsAttention} needs_attention " +
                $"-> {(own.Clean ? "OK" : "FAILED")}");
        }

        foreach (var problem in tally.Problems.Take(20))
        {
            Console.WriteLine($"  - {problem}");
        }

        foreach (var error in errors)
        {
            Console.WriteLine($"  ERROR {error}");
        }

        Console.WriteLine($"  figures in {path}");
        Console.WriteLine(tally.Clean && errors.Count == 0 ? "chaos: OK" : "chaos: FAILED");
    }
}
