using System.Net;
using System.Text.Json;
using Tern.Coap.Timing;
using Tern.Lwm2m.Server.Rest.Tests.Fakes;

namespace Tern.Lwm2m.Server.Rest.Tests.Api;

/// <summary>A started <see cref="TernServerHost"/> on ephemeral loopback ports, an HTTP client for it, and a fake client.</summary>
public abstract class RestHostFixture : IAsyncLifetime
{
    protected VirtualTimeProvider Clock { get; } = new();

    /// <summary>The clock the host runs on; <see cref="Clock"/> unless a test class watches it through a wrapper.</summary>
    protected virtual TimeProvider HostTime => Clock;

    internal TernServerHost Host { get; private set; } = null!;

    protected HttpClient Http { get; private set; } = null!;

    internal FakeLwm2mClient Device { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await TernServerHost.StartAsync(new TernServerHostOptions { CoapPort = 0, BootstrapPort = 0, HttpPort = 0, Time = HostTime });
        Http = new HttpClient { BaseAddress = Host.HttpAddress, Timeout = TimeSpan.FromMinutes(1) };
        Device = await FakeLwm2mClient.StartAsync();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Device.DisposeAsync();
        await Host.DisposeAsync();
    }

    protected async Task RegisterAsync(string endpoint)
    {
        Assert.Equal(Tern.Coap.Messages.CoapCode.Created, await Device.RegisterAsync(Host.CoapEndPoint, endpoint));
    }

    protected static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 7807 body with <paramref name="status"/> whose detail contains <paramref name="detailPart"/>.</summary>
    protected static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailPart)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = await JsonAsync(response);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Contains(detailPart, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        return problem;
    }
}
