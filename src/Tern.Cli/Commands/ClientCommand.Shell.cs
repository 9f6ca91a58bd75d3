using System.Collections.Concurrent;
using Tern.Cli.Commands.Shell;
using Tern.Lwm2m.Client;
using Tern.Lwm2m.Client.DataModel;

namespace Tern.Cli.Commands;

/// <content>
/// The shell on standard input (see <see cref="ShellParser"/>). Lines are read asynchronously; the commands run one
/// at a time on one dedicated thread, because the store's registry lock (<c>lock</c>/<c>unlock</c>) belongs to the
/// thread that took it. End of input is <c>quit</c>.
/// </content>
internal static partial class ClientCommand
{
    private const string HelpText =
        "commands: read PATH [-s|-b|-uX|-sX|-f|-t], write PATH [-s|-b|-uX|-sX|-f|-t] VALUE, exec PATH [ARG], create PATH, "
        + "delete PATH, ls [PATH], start, stop [-f], update, pause, resume, lock, unlock, send PATHS, cache PATH NUM, obs, "
        + "state, help, quit";

    private static async Task ReadCommandsAsync(Lwm2mClient client, Lwm2mObjectStore store, TextReader input, LineWriter lines, CancellationTokenSource stop)
    {
        using var queue = new BlockingCollection<ShellParseResult>();
        var worker = new Thread(() => RunCommands(client, store, queue, lines, stop)) { IsBackground = true, Name = "tern-shell" };
        worker.Start();
        try
        {
            string? line;
            while ((line = await input.ReadLineAsync(stop.Token).ConfigureAwait(false)) is not null)
            {
                // Errors go through the queue too, so the answers come out in the order of the lines.
                ShellParseResult parsed = ShellParser.Parse(line);
                if (parsed.Error is not null || parsed.Command is not null)
                {
                    queue.Add(parsed, stop.Token);
                }
            }

            queue.Add(ShellParseResult.Ok(new SimpleCommand(SimpleCommandKind.Quit)), stop.Token); // end of input
        }
        catch (OperationCanceledException)
        {
            // Stopped by Ctrl-C, quit or Failure.
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            queue.CompleteAdding();
            await Task.Run(worker.Join, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static void RunCommands(Lwm2mClient client, Lwm2mObjectStore store, BlockingCollection<ShellParseResult> queue, LineWriter lines, CancellationTokenSource stop)
    {
        var locks = new Stack<Lwm2mStoreLock>();
        try
        {
            foreach (ShellParseResult parsed in queue.GetConsumingEnumerable())
            {
                if (parsed.Command is not { } command)
                {
                    lines.Write("error: " + parsed.Error);
                    continue;
                }

                if (command is SimpleCommand { Kind: SimpleCommandKind.Quit })
                {
                    ReleaseAll(locks);
                    stop.Cancel();
                    return;
                }

                try
                {
                    foreach (string output in ShellExecutor.Execute(command, client, store, locks, HelpText))
                    {
                        lines.Write(output);
                    }
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or KeyNotFoundException or OverflowException)
                {
                    lines.Write("error: " + e.Message);
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
            }
        }
        finally
        {
            ReleaseAll(locks);
        }
    }

    private static void ReleaseAll(Stack<Lwm2mStoreLock> locks)
    {
        while (locks.TryPop(out Lwm2mStoreLock held))
        {
            held.Dispose();
        }
    }
}
