using Tern.Lwm2m.Definitions;

namespace Tern.Cli;

/// <summary>The object definitions the tool decodes with.</summary>
internal static class Definitions
{
    public static IObjectDefinitionProvider Model { get; } = new EmptyProvider();

    private sealed class EmptyProvider : IObjectDefinitionProvider
    {
        public ObjectDefinition? GetObject(int objectId) => null;
    }
}
