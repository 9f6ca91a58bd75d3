namespace Tern.Lwm2m.Tests.Definitions.Ddf;

/// <summary>Finds the OMA registry copy that sits next to the repository (../shared/lwm2m-registry).</summary>
internal static class Registry
{
    private static readonly Lazy<string> Location = new(Find);

    /// <summary>The registry directory; fails the calling test with a clear message when it is absent.</summary>
    public static string Directory => Location.Value;

    public static string File(string name) => Path.Combine(Directory, name);

    private static string Find()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Tern.slnx")))
            {
                string registry = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "lwm2m-registry"));
                Assert.True(System.IO.Directory.Exists(registry),
                    $"The OMA LwM2M registry is missing: expected its XML files in {registry} (a sibling 'shared/lwm2m-registry' of the repository root {dir.FullName}).");
                return registry;
            }
        }

        Assert.Fail($"No directory above {AppContext.BaseDirectory} holds Tern.slnx, so the registry at ../shared/lwm2m-registry cannot be located.");
        return string.Empty;
    }
}
