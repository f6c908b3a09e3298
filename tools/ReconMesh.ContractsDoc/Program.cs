using ReconMesh.ContractsDoc;

// Writes docs/contracts.md from the contracts assembly: dotnet run --project tools/ReconMesh.ContractsDoc [-- --check]
var root = FindRepositoryRoot(AppContext.BaseDirectory) ?? FindRepositoryRoot(Directory.GetCurrentDirectory());
if (root is null)
{
    Console.Error.WriteLine("ReconMesh.sln not found above this tool or the current directory.");
    return 2;
}

var path = Path.Combine(root, ContractsDocument.RelativePath);
var document = ContractsDocument.Generate();
if (args.Contains("--check"))
{
    var current = File.Exists(path) ? File.ReadAllText(path) : "";
    if (current == document)
    {
        Console.WriteLine($"{ContractsDocument.RelativePath} is current.");
        return 0;
    }

    Console.Error.WriteLine($"{ContractsDocument.RelativePath} is stale: run {ContractsDocument.RegenerateCommand}");
    return 1;
}

Directory.CreateDirectory(Path.GetDirectoryName(path)!);
File.WriteAllText(path, document);
Console.WriteLine($"wrote {path}");
return 0;

static string? FindRepositoryRoot(string start)
{
    for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "ReconMesh.sln")))
        {
            return dir.FullName;
        }
    }

    return null;
}
