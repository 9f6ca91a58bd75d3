using System.CommandLine;
using Tern.Cli.Commands;

namespace Tern.Cli;

/// <summary>The entry point of the <c>tern</c> tool.</summary>
internal static class Program
{
    /// <summary>
    /// Parser settings: response files are off, because <c>@FILE</c> names the payload file of
    /// <c>tern payload convert</c> rather than a file of extra arguments.
    /// </summary>
    private static readonly ParserConfiguration Parser = new() { ResponseFileTokenReplacer = null };

    public static int Main(string[] args) => Parse(args).Invoke();

    /// <summary>Parses <paramref name="args"/> the way <see cref="Main"/> does; tests invoke the result with their own writers.</summary>
    internal static ParseResult Parse(IReadOnlyList<string> args, Func<TextReader>? standardInput = null) =>
        BuildRoot(standardInput).Parse(args, Parser);

    /// <summary>Builds the command tree; tests parse and invoke it directly, with their own standard input.</summary>
    internal static RootCommand BuildRoot(Func<TextReader>? standardInput = null) => new("tern: the Tern LwM2M tool — client, server and payload converter")
    {
        PayloadCommand.Create(Definitions.Model, standardInput),
        ServerCommand.Create(),
        ClientCommand.Create(standardInput),
    };
}
