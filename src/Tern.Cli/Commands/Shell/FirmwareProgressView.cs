using System.Globalization;

namespace Tern.Cli.Commands.Shell;

/// <summary>
/// The download progress of <c>tern client</c>: on a terminal one bar redrawn in place at every step; when the output
/// is redirected (a pipe, a file, a test) a plain line each time another tenth is done (every 256 KiB when the size
/// is unknown) and at the end, so a log stays short and readable.
/// </summary>
/// <param name="redraw">True on a terminal: each update goes to <paramref name="overwrite"/>.</param>
/// <param name="line">Writes a whole line.</param>
/// <param name="overwrite">Redraws the progress line in place.</param>
internal sealed class FirmwareProgressView(bool redraw, Action<string> line, Action<string> overwrite)
{
    /// <summary>Without a known size, a plain line every this many bytes.</summary>
    public const long PlainStep = 256 * 1024;

    private const int Width = 24;
    private long _lastShown = -1;

    /// <summary>A new download: the next update is shown whatever it is.</summary>
    public void Reset() => _lastShown = -1;

    /// <summary>Shows <paramref name="bytes"/> of <paramref name="total"/> (null when unknown).</summary>
    public void Show(long bytes, long? total)
    {
        string text = Text(bytes, total);
        if (redraw)
        {
            overwrite(text);
            return;
        }

        long mark = total is { } size && size > 0 ? Math.Min(10, bytes * 10 / size) : bytes / PlainStep;
        bool done = total is { } all && bytes >= all;
        if (mark > _lastShown || (done && _lastShown != long.MaxValue))
        {
            _lastShown = done ? long.MaxValue : mark;
            line(text);
        }
    }

    /// <summary>"download      [##########--------------]  42%   430 KiB of 1024 KiB", or bytes alone when the size is unknown.</summary>
    public static string Text(long bytes, long? total)
    {
        if (total is not { } all || all <= 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"download      {Kib(bytes)} KiB");
        }

        long clamped = Math.Min(bytes, all);
        int filled = (int)(clamped * Width / all);
        int percent = (int)(clamped * 100 / all);
        return string.Create(CultureInfo.InvariantCulture,
            $"download      [{new string('#', filled)}{new string('-', Width - filled)}] {percent,3}% {Kib(bytes),5} KiB of {Kib(all)} KiB");
    }

    private static long Kib(long bytes) => (bytes + 1023) / 1024;
}
