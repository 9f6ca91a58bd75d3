using Tern.Lwm2m.Client;

namespace Tern.Cli.Commands;

/// <content>The commands read on standard input. The full shell of issue 7 grows here.</content>
internal static partial class ClientCommand
{
    private static async Task ReadCommandsAsync(Lwm2mClient client, TextReader input, LineWriter lines, CancellationTokenSource stop)
    {
        try
        {
            string? line;
            while ((line = await input.ReadLineAsync(stop.Token).ConfigureAwait(false)) is not null)
            {
                switch (line.Trim().ToLowerInvariant())
                {
                    case "":
                        break;
                    case "quit" or "exit":
                        await stop.CancelAsync().ConfigureAwait(false);
                        return;
                    case "update":
                        await client.TriggerUpdateAsync().ConfigureAwait(false);
                        lines.Write("update requested");
                        break;
                    case "state":
                        lines.Write($"state         {client.State}");
                        break;
                    case "help":
                        lines.Write("commands: quit (de-register and exit), update (send an Update), state (print the state), help");
                        break;
                    default:
                        lines.Write($"unknown command '{line.Trim()}'; try help");
                        break;
                }
            }

            // End of input (e.g. stdin is /dev/null): keep running until Ctrl-C.
        }
        catch (OperationCanceledException)
        {
            // Stopped by Ctrl-C or Failure.
        }
        catch (ObjectDisposedException)
        {
            // The client already stopped.
        }
    }
}
