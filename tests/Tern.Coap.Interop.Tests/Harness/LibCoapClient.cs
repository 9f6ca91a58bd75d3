namespace Tern.Coap.Interop.Tests.Harness;

/// <summary>Runs libcoap's <c>coap-client-notls</c> once against a URI with a bounded lifetime.</summary>
public static class LibCoapClient
{
    /// <summary>
    /// Runs the client with <paramref name="arguments"/> followed by <paramref name="uri"/>; its own wait limit
    /// (-B) is set below <paramref name="timeLimit"/>, and the harness kills it at the limit regardless.
    /// </summary>
    public static Task<ToolResult> RunAsync(string uri, TimeSpan timeLimit, params string[] arguments)
    {
        int breakAfter = Math.Max(1, (int)timeLimit.TotalSeconds - 1);
        return ToolProcess.RunAsync(LibCoapTools.Client, ["-B", breakAfter.ToString(), .. arguments, uri], timeLimit + TimeSpan.FromSeconds(2));
    }
}
