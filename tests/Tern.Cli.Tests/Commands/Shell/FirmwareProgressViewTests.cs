using Tern.Cli.Commands.Shell;

namespace Tern.Cli.Tests.Commands.Shell;

public class FirmwareProgressViewTests
{
    [Theory]
    [InlineData(0, 1024 * 1024, "download      [------------------------]   0%     0 KiB of 1024 KiB")]
    [InlineData(512 * 1024, 1024 * 1024, "download      [############------------]  50%   512 KiB of 1024 KiB")]
    [InlineData(1024 * 1024, 1024 * 1024, "download      [########################] 100%  1024 KiB of 1024 KiB")]
    [InlineData(1000, 3000, "download      [########----------------]  33%     1 KiB of 3 KiB")]
    public void The_bar_shows_the_share_done_and_the_sizes(long bytes, long total, string expected) =>
        Assert.Equal(expected, FirmwareProgressView.Text(bytes, total));

    [Fact]
    public void Without_a_known_size_only_the_bytes_are_shown() =>
        Assert.Equal("download      300 KiB", FirmwareProgressView.Text(300 * 1024, null));

    [Fact]
    public void Redirected_output_gets_a_line_per_tenth_and_one_at_the_end()
    {
        var lines = new List<string>();
        var redrawn = new List<string>();
        var view = new FirmwareProgressView(redraw: false, lines.Add, redrawn.Add);

        for (long bytes = 1024; bytes <= 1000 * 1024; bytes += 1024)
        {
            view.Show(bytes, 1000 * 1024);
        }

        Assert.Empty(redrawn);
        Assert.Equal(11, lines.Count); // 0 %, 10 %, ..., 100 %
        Assert.Contains(" 100% ", lines[^1], StringComparison.Ordinal);
        Assert.Equal(lines.Count, lines.Distinct().Count());
    }

    [Fact]
    public void Redirected_output_without_a_size_gets_a_line_per_256_kib()
    {
        var lines = new List<string>();
        var view = new FirmwareProgressView(redraw: false, lines.Add, _ => { });

        for (long bytes = 16 * 1024; bytes <= 1024 * 1024; bytes += 16 * 1024)
        {
            view.Show(bytes, null);
        }

        Assert.Equal(["download      16 KiB", "download      256 KiB", "download      512 KiB", "download      768 KiB", "download      1024 KiB"], lines);
    }

    [Fact]
    public void A_terminal_gets_every_step_redrawn_and_no_lines()
    {
        var lines = new List<string>();
        var redrawn = new List<string>();
        var view = new FirmwareProgressView(redraw: true, lines.Add, redrawn.Add);

        for (long bytes = 64; bytes <= 6400; bytes += 64)
        {
            view.Show(bytes, 6400);
        }

        Assert.Empty(lines);
        Assert.Equal(100, redrawn.Count);
    }

    [Fact]
    public void A_new_download_shows_its_first_step_again()
    {
        var lines = new List<string>();
        var view = new FirmwareProgressView(redraw: false, lines.Add, _ => { });
        view.Show(100, 100);

        view.Reset();
        view.Show(0, 100);

        Assert.Equal(2, lines.Count);
    }
}
