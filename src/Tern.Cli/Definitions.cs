using Tern.Lwm2m.Definitions;

namespace Tern.Cli;

/// <summary>The object definitions the tool decodes with: Tern's built-ins.</summary>
internal static class Definitions
{
    public static IObjectDefinitionProvider Model { get; } = new ObjectDefinitionRegistry();
}
