using System.CommandLine;
using Tern.Cli.Commands;

namespace Tern.Cli;

/// <summary>The entry point of the <c>tern</c> tool.</summary>
internal static class Program
{
    public static int Main(string[] args) => BuildRoot().Parse(args).Invoke();

    /// <summary>Builds the command tree; tests parse and invoke it directly.</summary>
    internal static RootCommand BuildRoot() => new("tern: the Tern LwM2M tool — client, server and payload converter")
    {
        PayloadCommand.Create(Definitions.Model),
        ServerCommand.Create(),
    };
}
