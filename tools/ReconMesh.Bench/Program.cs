using ReconMesh.Bench;

// The benchmark driver. `ceilings` measures the raw bus and store on the broker and database the mesh uses;
// `setup` creates the sandbox's QuickBooks companies; `mesh` drives the running mesh (initial sync, end-to-end
// payments, latency at a fixed rate, a backlog under QuickBooks' limits) and writes the summary with the ceilings.
// `sync-setup` and `sync` measure the 20,000-invoice initial sync of QuickBooks, ConnectWise and Xero (SyncBench.cs),
// `sync-setup-autotask` fills the Autotask database for the same measure within ReconMesh's share of its hourly budget;
// `snapshot` and `sync-a` measure only the mesh run's initial sync of company A, and where its time went (IngestBench.cs).
var options = BenchOptions.Parse(args.Length > 1 ? args[1..] : []);
return args.FirstOrDefault() switch
{
    "prepare" => await Isolation.PrepareAsync(options),
    "cleanup" => await Isolation.CleanupAsync(options),
    "ceilings" => await Ceilings.RunAsync(options),
    "setup" => await MeshBench.SetupAsync(options),
    "mesh" => await MeshBench.RunAsync(options),
    "sync-setup" => await SyncBench.SetupAsync(options),
    "sync-setup-autotask" => await SyncBench.SetupAutotaskAsync(options),
    "sync" => await SyncBench.RunAsync(options),
    "snapshot" => await IngestBench.SnapshotAsync(options),
    "sync-a" => await IngestBench.RunAsync(options),
    "table" => Table.Print(options.Get("in")),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: ReconMesh.Bench ceilings|setup|mesh|sync-setup|sync-setup-autotask|sync|snapshot|sync-a|table --key value ... (see deploy/local/bench.sh)");
    return 2;
}
