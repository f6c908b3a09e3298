using ReconMesh.Demo;
using ReconMesh.Demo.Chaos;

// The demo driver: `seed` prepares the two demo tenants' integrations in the sandbox (a QuickBooks company; a ConnectWise
// site and the QuickBooks company it is paired with) and prints the services' connection settings; `run` waits for the
// mesh to sync them, runs a month of payments and payouts for both tenants with a progress line per tenant, and then
// proves the sandbox's books and reports. Exit 0 only if they are right.
// `chaos` runs the services itself and breaks them while payments flow (deploy/local/chaos.sh, docs/reliability.md).
return args.FirstOrDefault() switch
{
    "seed" => await DemoCommands.SeedAsync(DemoOptions.Parse(args[1..])),
    "run" => await DemoCommands.RunAsync(DemoOptions.Parse(args[1..])),
    "chaos" => await ChaosCommand.RunAsync(ChaosOptions.Parse(args[1..])),
    _ => DemoCommands.Usage(),
};
