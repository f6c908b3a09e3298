using System.Globalization;
using ReconMesh.SandboxBench;

// Drives the QuickBooks and ConnectWise simulators the way the mesh does for each payment, through the sandbox's own HTTP pipeline
// (routing and handlers, without Kestrel), and prints time and allocations per operation.
//   dotnet run -c Release --project tools/ReconMesh.SandboxBench -- [invoices,...] [iterations] [only operations named so]
// CPU time is the process's user+system time over the loop, so it is less disturbed by other work on the machine
// than wall time; both are printed. Compare runs made on the same machine close together.
var sizes = args.Length > 0
    ? args[0].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray()
    : [12_000, 1_500];
var iterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
var only = args.Length > 2 ? args[2] : null;

Console.WriteLine("| invoices | operation | wall µs/op | cpu µs/op | KB allocated/op | bytes answered | gen2 GCs in loop |");
Console.WriteLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: |");
foreach (var invoices in sizes)
{
    var results = new List<OpResult>();
    await using (var qbo = await QboDriver.StartAsync(invoices))
    {
        results.AddRange(await qbo.RunAsync(iterations, only));
    }

    await using (var cw = await CwDriver.StartAsync(invoices))
    {
        results.AddRange(await cw.RunAsync(iterations, only));
    }

    foreach (var result in results)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {invoices} | {result.Name} | {result.WallMicros:0.0} | {result.CpuMicros:0.0} | {result.KilobytesAllocated:0.0} | {result.BytesAnswered} | {result.Gen2Collections} |"));
    }
}
