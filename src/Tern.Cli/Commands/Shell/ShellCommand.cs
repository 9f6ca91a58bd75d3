using Tern.Lwm2m.Model;

namespace Tern.Cli.Commands.Shell;

/// <summary>How <c>read</c> prints and <c>write</c> parses a value: <c>-s</c>, <c>-b</c>, <c>-uX</c>, <c>-sX</c>, <c>-f</c>, <c>-t</c>.</summary>
internal enum ShellValueKind
{
    /// <summary>No flag: <c>read</c> prints the value as stored, <c>write</c> takes a string.</summary>
    Default,

    /// <summary><c>-s</c>: a string.</summary>
    String,

    /// <summary><c>-b</c>: a boolean (1/0/true/false).</summary>
    Boolean,

    /// <summary><c>-uX</c>: an unsigned integer of X bits.</summary>
    Unsigned,

    /// <summary><c>-sX</c>: a signed integer of X bits.</summary>
    Signed,

    /// <summary><c>-f</c>: a float.</summary>
    Float,

    /// <summary><c>-t</c>: a time, in Unix seconds.</summary>
    Time,
}

/// <summary>A value type flag: its kind and, for integers, the number of bits (8, 16, 32 or 64).</summary>
internal readonly record struct ShellValueType(ShellValueKind Kind, int Bits = 0)
{
    public override string ToString() => Kind switch
    {
        ShellValueKind.Unsigned => $"-u{Bits}",
        ShellValueKind.Signed => $"-s{Bits}",
        ShellValueKind.String => "-s",
        ShellValueKind.Boolean => "-b",
        ShellValueKind.Float => "-f",
        ShellValueKind.Time => "-t",
        _ => "",
    };
}

/// <summary>One parsed shell line; see <see cref="ShellParser"/>.</summary>
internal abstract record ShellCommand;

/// <summary><c>read PATH [TYPE]</c>.</summary>
internal sealed record ReadCommand(Lwm2mPath Path, ShellValueType Type) : ShellCommand;

/// <summary><c>write PATH [TYPE] VALUE</c>, with the value already parsed.</summary>
internal sealed record WriteCommand(Lwm2mPath Path, Lwm2mValue Value) : ShellCommand;

/// <summary><c>exec PATH [ARG]</c>.</summary>
internal sealed record ExecCommand(Lwm2mPath Path, string? Argument) : ShellCommand;

/// <summary><c>create PATH</c> (an object instance path).</summary>
internal sealed record CreateCommand(Lwm2mPath Path) : ShellCommand;

/// <summary><c>delete PATH</c> (an object instance path).</summary>
internal sealed record DeleteCommand(Lwm2mPath Path) : ShellCommand;

/// <summary><c>ls [PATH]</c>.</summary>
internal sealed record ListCommand(Lwm2mPath Path) : ShellCommand;

/// <summary><c>stop [-f]</c>: <see cref="Force"/> skips the De-register.</summary>
internal sealed record StopCommand(bool Force) : ShellCommand;

/// <summary><c>send PATH...</c>.</summary>
internal sealed record SendCommand(IReadOnlyList<Lwm2mPath> Paths) : ShellCommand;

/// <summary><c>cache PATH NUM</c>.</summary>
internal sealed record CacheCommand(Lwm2mPath Path, int Capacity) : ShellCommand;

/// <summary>A command without arguments.</summary>
internal sealed record SimpleCommand(SimpleCommandKind Kind) : ShellCommand;

/// <summary>The commands without arguments.</summary>
internal enum SimpleCommandKind
{
    /// <summary><c>start</c>: start (register) after a stop.</summary>
    Start,

    /// <summary><c>update</c>: send a Registration Update.</summary>
    Update,

    /// <summary><c>pause</c>: suspend the engine.</summary>
    Pause,

    /// <summary><c>resume</c>: resume it.</summary>
    Resume,

    /// <summary><c>lock</c>: take the store's registry lock.</summary>
    Lock,

    /// <summary><c>unlock</c>: release it.</summary>
    Unlock,

    /// <summary><c>obs</c>: list the observations.</summary>
    Observations,

    /// <summary><c>state</c>: print the engine state.</summary>
    State,

    /// <summary><c>help</c>.</summary>
    Help,

    /// <summary><c>quit</c> (or <c>exit</c>): de-register and exit.</summary>
    Quit,
}

/// <summary>The outcome of parsing one line: a command, nothing (blank line), or a one-line error.</summary>
internal readonly record struct ShellParseResult(ShellCommand? Command, string? Error)
{
    public static ShellParseResult Blank => default;

    public static ShellParseResult Ok(ShellCommand command) => new(command, null);

    public static ShellParseResult Fail(string error) => new(null, error);
}
