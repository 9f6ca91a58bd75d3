using System.Globalization;
using Tern.Lwm2m.Model;

namespace Tern.Cli.Commands.Shell;

/// <summary>
/// Parses one line of the <c>tern client</c> shell (modelled on Zephyr's <c>lwm2m</c> shell) into a
/// <see cref="ShellCommand"/> or a one-line error. Pure: touches no client, never throws on input.
/// </summary>
internal static class ShellParser
{
    /// <summary>The longest line looked at; longer lines are refused.</summary>
    public const int MaxLineLength = 4096;

    public static ShellParseResult Parse(string line)
    {
        if (line.Length > MaxLineLength)
        {
            return ShellParseResult.Fail($"line longer than {MaxLineLength} characters");
        }

        string[] words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return ShellParseResult.Blank;
        }

        string name = words[0].ToLowerInvariant();
        ReadOnlySpan<string> args = words.AsSpan(1);
        return name switch
        {
            "read" => ParseRead(args),
            "write" => ParseWrite(line, args),
            "exec" => ParseExec(args),
            "create" => ParseInstancePath("create", args, path => new CreateCommand(path)),
            "delete" => ParseInstancePath("delete", args, path => new DeleteCommand(path)),
            "ls" => ParseList(args),
            "stop" => args.Length == 0 ? ShellParseResult.Ok(new StopCommand(false))
                : args is ["-f"] ? ShellParseResult.Ok(new StopCommand(true))
                : ShellParseResult.Fail("usage: stop [-f]"),
            "send" => ParseSend(args),
            "cache" => ParseCache(args),
            "start" => Simple(name, args, SimpleCommandKind.Start),
            "update" => Simple(name, args, SimpleCommandKind.Update),
            "pause" => Simple(name, args, SimpleCommandKind.Pause),
            "resume" => Simple(name, args, SimpleCommandKind.Resume),
            "lock" => Simple(name, args, SimpleCommandKind.Lock),
            "unlock" => Simple(name, args, SimpleCommandKind.Unlock),
            "obs" => Simple(name, args, SimpleCommandKind.Observations),
            "state" => Simple(name, args, SimpleCommandKind.State),
            "help" => Simple(name, args, SimpleCommandKind.Help),
            "quit" or "exit" => Simple(name, args, SimpleCommandKind.Quit),
            _ => ShellParseResult.Fail($"unknown command '{words[0]}'; try help"),
        };
    }

    /// <summary>Parses a path, with or without the leading slash.</summary>
    public static bool TryParsePath(string text, out Lwm2mPath path) =>
        Lwm2mPath.TryParse(text.StartsWith('/') ? text : "/" + text, out path);

    /// <summary>Parses a type flag (<c>-s -b -u8 -u16 -u32 -u64 -s8 ... -f -t</c>).</summary>
    public static bool TryParseType(string flag, out ShellValueType type)
    {
        type = flag switch
        {
            "-s" => new ShellValueType(ShellValueKind.String),
            "-b" => new ShellValueType(ShellValueKind.Boolean),
            "-f" => new ShellValueType(ShellValueKind.Float),
            "-t" => new ShellValueType(ShellValueKind.Time),
            "-u8" or "-u16" or "-u32" or "-u64" => new ShellValueType(ShellValueKind.Unsigned, int.Parse(flag.AsSpan(2), CultureInfo.InvariantCulture)),
            "-s8" or "-s16" or "-s32" or "-s64" => new ShellValueType(ShellValueKind.Signed, int.Parse(flag.AsSpan(2), CultureInfo.InvariantCulture)),
            _ => default,
        };
        return type.Kind != ShellValueKind.Default;
    }

    /// <summary>Parses the text of a value of <paramref name="type"/>; the error names what was expected.</summary>
    public static bool TryParseValue(string text, ShellValueType type, out Lwm2mValue value, out string? error)
    {
        error = null;
        value = default;
        switch (type.Kind)
        {
            case ShellValueKind.Default or ShellValueKind.String:
                value = Lwm2mValue.FromString(text);
                return true;
            case ShellValueKind.Boolean:
                bool? flag = text.ToLowerInvariant() switch { "1" or "true" => true, "0" or "false" => false, _ => null };
                if (flag is { } b)
                {
                    value = Lwm2mValue.FromBoolean(b);
                    return true;
                }

                error = $"'{text}' is not a boolean (1, 0, true, false)";
                return false;
            case ShellValueKind.Unsigned:
                if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong u) && (type.Bits == 64 || u < 1UL << type.Bits))
                {
                    value = Lwm2mValue.FromUnsignedInteger(u);
                    return true;
                }

                error = $"'{text}' is not an unsigned {type.Bits}-bit integer";
                return false;
            case ShellValueKind.Signed:
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long s)
                    && (type.Bits == 64 || (s >= -(1L << (type.Bits - 1)) && s < 1L << (type.Bits - 1))))
                {
                    value = Lwm2mValue.FromInteger(s);
                    return true;
                }

                error = $"'{text}' is not a signed {type.Bits}-bit integer";
                return false;
            case ShellValueKind.Float:
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) && double.IsFinite(f))
                {
                    value = Lwm2mValue.FromFloat(f);
                    return true;
                }

                error = $"'{text}' is not a float";
                return false;
            default:
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long t))
                {
                    value = Lwm2mValue.FromUnixTime(t);
                    return true;
                }

                error = $"'{text}' is not a time in Unix seconds";
                return false;
        }
    }

    private static ShellParseResult ParseRead(ReadOnlySpan<string> args)
    {
        if (args.Length is < 1 or > 2)
        {
            return ShellParseResult.Fail("usage: read PATH [-s|-b|-uX|-sX|-f|-t]");
        }

        if (!TryResourcePath(args[0], out Lwm2mPath path, out string? error))
        {
            return ShellParseResult.Fail(error);
        }

        ShellValueType type = default;
        if (args.Length == 2 && !TryParseType(args[1], out type))
        {
            return ShellParseResult.Fail($"unknown type '{args[1]}'; use -s -b -u8 -u16 -u32 -u64 -s8 -s16 -s32 -s64 -f -t");
        }

        return ShellParseResult.Ok(new ReadCommand(path, type));
    }

    private static ShellParseResult ParseWrite(string line, ReadOnlySpan<string> args)
    {
        if (args.Length < 2)
        {
            return ShellParseResult.Fail("usage: write PATH [-s|-b|-uX|-sX|-f|-t] VALUE");
        }

        if (!TryResourcePath(args[0], out Lwm2mPath path, out string? error))
        {
            return ShellParseResult.Fail(error);
        }

        ShellValueType type = default;
        int valueAt = 1;
        if (args[1].StartsWith('-') && args.Length > 2)
        {
            if (!TryParseType(args[1], out type))
            {
                return ShellParseResult.Fail($"unknown type '{args[1]}'; use -s -b -u8 -u16 -u32 -u64 -s8 -s16 -s32 -s64 -f -t");
            }

            valueAt = 2;
        }

        // A string keeps its inner spaces: it is the rest of the line after the path (and flag).
        string text = type.Kind is ShellValueKind.Default or ShellValueKind.String ? RestOfLine(line, 1 + valueAt) : args[valueAt];
        if (type.Kind is not (ShellValueKind.Default or ShellValueKind.String) && args.Length > valueAt + 1)
        {
            return ShellParseResult.Fail("write takes one value after the type");
        }

        return TryParseValue(text, type, out Lwm2mValue value, out error)
            ? ShellParseResult.Ok(new WriteCommand(path, value))
            : ShellParseResult.Fail(error!);
    }

    private static ShellParseResult ParseExec(ReadOnlySpan<string> args)
    {
        if (args.Length is < 1 or > 2)
        {
            return ShellParseResult.Fail("usage: exec PATH [ARG]");
        }

        if (!TryParsePath(args[0], out Lwm2mPath path) || path.Level != Lwm2mPathLevel.Resource)
        {
            return ShellParseResult.Fail($"'{args[0]}' is not a resource path like 3/0/4");
        }

        return ShellParseResult.Ok(new ExecCommand(path, args.Length == 2 ? args[1] : null));
    }

    private static ShellParseResult ParseInstancePath(string name, ReadOnlySpan<string> args, Func<Lwm2mPath, ShellCommand> make)
    {
        if (args.Length != 1)
        {
            return ShellParseResult.Fail($"usage: {name} PATH (an object instance, e.g. 3303/1)");
        }

        return TryParsePath(args[0], out Lwm2mPath path) && path.Level == Lwm2mPathLevel.ObjectInstance
            ? ShellParseResult.Ok(make(path))
            : ShellParseResult.Fail($"'{args[0]}' is not an object instance path like 3303/1");
    }

    private static ShellParseResult ParseList(ReadOnlySpan<string> args)
    {
        if (args.Length == 0)
        {
            return ShellParseResult.Ok(new ListCommand(Lwm2mPath.Root));
        }

        return args.Length == 1 && TryParsePath(args[0], out Lwm2mPath path)
            ? ShellParseResult.Ok(new ListCommand(path))
            : ShellParseResult.Fail(args.Length == 1 ? $"'{args[0]}' is not a path like 3/0" : "usage: ls [PATH]");
    }

    private static ShellParseResult ParseSend(ReadOnlySpan<string> args)
    {
        if (args.Length == 0)
        {
            return ShellParseResult.Fail("usage: send PATH...");
        }

        var paths = new List<Lwm2mPath>(args.Length);
        foreach (string arg in args)
        {
            if (!TryParsePath(arg, out Lwm2mPath path) || path.IsRoot)
            {
                return ShellParseResult.Fail($"'{arg}' is not a path like 3303/0/5700");
            }

            paths.Add(path);
        }

        return ShellParseResult.Ok(new SendCommand(paths));
    }

    private static ShellParseResult ParseCache(ReadOnlySpan<string> args)
    {
        if (args.Length != 2)
        {
            return ShellParseResult.Fail("usage: cache PATH NUM");
        }

        if (!TryResourcePath(args[0], out Lwm2mPath path, out string? error))
        {
            return ShellParseResult.Fail(error);
        }

        return int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out int capacity) && capacity > 0
            ? ShellParseResult.Ok(new CacheCommand(path, capacity))
            : ShellParseResult.Fail($"'{args[1]}' is not a positive number of entries");
    }

    private static ShellParseResult Simple(string name, ReadOnlySpan<string> args, SimpleCommandKind kind) =>
        args.Length == 0 ? ShellParseResult.Ok(new SimpleCommand(kind)) : ShellParseResult.Fail($"{name} takes no arguments");

    private static bool TryResourcePath(string text, out Lwm2mPath path, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        if (TryParsePath(text, out path) && path.Level >= Lwm2mPathLevel.Resource)
        {
            error = null;
            return true;
        }

        error = $"'{text}' is not a resource path like 3/0/0 or 3/0/11/0";
        return false;
    }

    /// <summary>The text after the first <paramref name="skip"/> words of <paramref name="line"/>, trimmed.</summary>
    private static string RestOfLine(string line, int skip)
    {
        int at = 0;
        for (int word = 0; word < skip; word++)
        {
            while (at < line.Length && char.IsWhiteSpace(line[at]))
            {
                at++;
            }

            while (at < line.Length && !char.IsWhiteSpace(line[at]))
            {
                at++;
            }
        }

        return line[at..].Trim();
    }
}
