using System.CommandLine;
using Tern.Cli.Payload;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;

namespace Tern.Cli.Commands;

/// <summary><c>tern payload convert</c>: the tool people reach for when debugging a device's payloads.</summary>
internal static class PayloadCommand
{
    /// <summary>Builds <c>tern payload</c>; <paramref name="standardInput"/> stands in for the console's input (tests pass their own).</summary>
    public static Command Create(IObjectDefinitionProvider model, Func<TextReader>? standardInput = null)
    {
        standardInput ??= () => Console.In;
        string names = string.Join(", ", Lwm2mContentFormatRegistry.KnownNames.Order(StringComparer.Ordinal));
        var from = new Option<string>("--from") { Description = $"Input format: a name ({names}) or a content-format number", Required = true };
        var to = new Option<string>("--to") { Description = "Output format, named the same way", Required = true };
        var path = new Option<string?>("--path") { Description = "The request path the payload belongs to, e.g. /3/0 (needed for TLV, text, opaque, CBOR)" };
        var input = new Argument<string?>("input")
        {
            Description = "The payload (hex for binary formats, text otherwise), @FILE to read a file, or - (the default) for standard input",
            Arity = ArgumentArity.ZeroOrOne,
        };

        var convert = new Command("convert", "Convert a payload between LwM2M content formats") { from, to, path, input };
        convert.SetAction(parse =>
        {
            // Write through the invocation's writers (the console unless a caller configured others).
            TextWriter stdout = parse.InvocationConfiguration.Output, stderr = parse.InvocationConfiguration.Error;
            if (!TryFormat(parse.GetValue(from)!, "--from", stderr, out ILwm2mContentCodec? fromCodec) || !TryFormat(parse.GetValue(to)!, "--to", stderr, out ILwm2mContentCodec? toCodec))
            {
                return 2;
            }

            Lwm2mPath? requestPath = null;
            if (parse.GetValue(path) is { } pathText)
            {
                if (!Lwm2mPath.TryParse(pathText, out Lwm2mPath parsed))
                {
                    return Fail(stderr, $"--path '{pathText}' is not an LwM2M path like /3/0/1", 2);
                }

                requestPath = parsed;
            }

            string? source = parse.GetValue(input);
            string text;
            if (source is null or "-")
            {
                text = standardInput().ReadToEnd();
            }
            else if (source.StartsWith('@'))
            {
                if (!File.Exists(source[1..]))
                {
                    return Fail(stderr, $"no such file: {source[1..]}", 2);
                }

                text = File.ReadAllText(source[1..]);
            }
            else
            {
                text = source;
            }

            PayloadConversion result = PayloadConverter.Convert(text, fromCodec, toCodec, requestPath, model);
            if (result.Error is not null)
            {
                return Fail(stderr, result.Error, 1);
            }

            stdout.WriteLine(result.Output);
            return 0;
        });

        return new Command("payload", "Work with LwM2M payloads") { convert };
    }

    private static bool TryFormat(string name, string option, TextWriter stderr, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ILwm2mContentCodec? codec)
    {
        if (Lwm2mContentFormatRegistry.Default.TryGet(name, out codec))
        {
            return true;
        }

        Fail(stderr, $"{option} '{name}' is not a content format Tern knows; try one of: {string.Join(", ", Lwm2mContentFormatRegistry.Default.Codecs.Select(c => $"{c.Name} ({c.ContentFormat})"))}", 2);
        return false;
    }

    private static int Fail(TextWriter stderr, string message, int code)
    {
        stderr.WriteLine($"tern: {message}");
        return code;
    }
}
