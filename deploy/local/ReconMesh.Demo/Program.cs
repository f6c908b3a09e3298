using ReconMesh.Demo;
using ReconMesh.Demo.Chaos;

// The demo driver: `seed` prepares a QuickBooks company in the sandbox; `run` waits for the mesh to sync it, has
// the platform simulator pay every open invoice, and then proves the sandbox's books. Exit 0 only if they are right.
// `chaos` runs the services itself and breaks them while payments flow (deploy/local/chaos.sh, docs/reliability.md).
return args.FirstOrDefault() switch
{
    "seed" => await DemoCommands.SeedAsync(DemoOptions.Parse(args[1..])),
    "run" => await DemoCommands.RunAsync(DemoOptions.Parse(args[1..])),
    "chaos" => await ChaosCommand.RunAsync(ChaosOptions.Parse(args[1..])),
    _ => DemoCommands.Usage(),
};
