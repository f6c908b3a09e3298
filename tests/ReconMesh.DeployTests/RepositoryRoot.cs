namespace ReconMesh.DeployTests;

internal static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ReconMesh.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ReconMesh.sln not found above " + TestContext.CurrentContext.TestDirectory);
    }
}
