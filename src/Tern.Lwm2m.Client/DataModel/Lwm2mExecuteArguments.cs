using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Tern.Lwm2m.Client.DataModel;

/// <summary>One Execute argument: a digit 0–9 and an optional value (<c>3='on'</c> or a bare <c>3</c>).</summary>
/// <param name="Digit">The argument number, 0–9.</param>
/// <param name="Value">The text between the quotes, or null for a bare argument.</param>
public sealed record Lwm2mExecuteArgument(int Digit, string? Value);

/// <summary>
/// The arguments of an Execute (LwM2M TS Core §5.4.5): a comma-separated list such as <c>0,1='abc',2='x y'</c>.
/// Values are quoted with single quotes and hold printable ASCII other than the quote itself.
/// </summary>
public sealed class Lwm2mExecuteArguments
{
    private Lwm2mExecuteArguments(IReadOnlyList<Lwm2mExecuteArgument> items, string text)
    {
        Items = items;
        Text = text;
    }

    /// <summary>No arguments.</summary>
    public static Lwm2mExecuteArguments Empty { get; } = new([], string.Empty);

    /// <summary>The arguments in payload order.</summary>
    public IReadOnlyList<Lwm2mExecuteArgument> Items { get; }

    /// <summary>The payload as it arrived (UTF-8 decoded).</summary>
    public string Text { get; }

    /// <summary>The value of argument <paramref name="digit"/>, or null when absent or bare.</summary>
    public string? this[int digit] => Items.FirstOrDefault(a => a.Digit == digit)?.Value;

    /// <summary>True when argument <paramref name="digit"/> is present, with or without a value.</summary>
    public bool Has(int digit) => Items.Any(a => a.Digit == digit);

    /// <summary>Parses an Execute payload; false (with a reason) when it breaks the grammar. An empty payload is no arguments.</summary>
    /// <param name="payload">The request payload.</param>
    /// <param name="arguments">The arguments when the payload is valid.</param>
    /// <param name="error">Why it is not, otherwise.</param>
    public static bool TryParse(ReadOnlySpan<byte> payload, [NotNullWhen(true)] out Lwm2mExecuteArguments? arguments, [NotNullWhen(false)] out string? error)
    {
        arguments = null;
        if (payload.IsEmpty)
        {
            arguments = Empty;
            error = null;
            return true;
        }

        var items = new List<Lwm2mExecuteArgument>();
        int pos = 0;
        while (true)
        {
            if (pos >= payload.Length || payload[pos] is < (byte)'0' or > (byte)'9')
            {
                error = $"Expected an argument digit 0-9 at byte {pos}.";
                return false;
            }

            int digit = payload[pos++] - '0';
            if (items.Any(a => a.Digit == digit))
            {
                error = $"Argument {digit} is given twice.";
                return false;
            }

            string? value = null;
            if (pos < payload.Length && payload[pos] == '=')
            {
                pos++;
                if (pos >= payload.Length || payload[pos] != '\'')
                {
                    error = $"The value of argument {digit} must be in single quotes.";
                    return false;
                }

                int close = payload[(pos + 1)..].IndexOf((byte)'\'');
                if (close < 0)
                {
                    error = $"The value of argument {digit} has no closing quote.";
                    return false;
                }

                ReadOnlySpan<byte> text = payload.Slice(pos + 1, close);
                if (text.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) >= 0)
                {
                    error = $"The value of argument {digit} holds a byte that is not printable ASCII.";
                    return false;
                }

                value = Encoding.ASCII.GetString(text);
                pos += close + 2;
            }

            items.Add(new Lwm2mExecuteArgument(digit, value));
            if (pos == payload.Length)
            {
                break;
            }

            if (payload[pos] != ',')
            {
                error = $"Expected ',' between arguments at byte {pos}.";
                return false;
            }

            pos++;
        }

        arguments = new Lwm2mExecuteArguments(items, Encoding.ASCII.GetString(payload));
        error = null;
        return true;
    }
}
