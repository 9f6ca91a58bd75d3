using System.Net;
using System.Text;
using System.Text.Json;
using Tern.Coap.Dtls.Tests.Support;
using Tern.Lwm2m.Server.Bootstrap;
using Tern.Lwm2m.Server.Security;

namespace Tern.Lwm2m.Server.Rest.Tests.Api;

/// <summary>
/// The provisioning link through the REST API: <c>PUT /api/bootstrap/{endpoint}</c> gives <c>/api/security</c> the
/// credentials the configuration provisions for this host's LwM2M server, and <c>DELETE</c> takes them back.
/// </summary>
public sealed class BootstrapProvisioningApiTests : IAsyncLifetime
{
    private TernServerHost _host = null!;
    private HttpClient Http { get; set; } = null!;

    public async Task InitializeAsync()
    {
        _host = await TernServerHost.StartAsync(new TernServerHostOptions { CoapPort = 0, CoapsPort = 0, BootstrapPort = 0, HttpPort = 0 });
        Http = new HttpClient { BaseAddress = _host.HttpAddress, Timeout = TimeSpan.FromMinutes(1) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await _host.DisposeAsync();
    }

    private int CoapsPort => _host.CoapsEndPoint!.Port;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string Account(int port, int mode, byte[] identity, byte[] key) => $$"""
        {"writes":[
          {"path":"/0/1","resources":[{"id":0,"type":"String","value":"coaps://127.0.0.1:{{port}}"},{"id":1,"type":"Boolean","value":false},
            {"id":2,"type":"Integer","value":{{mode}}},{"id":3,"type":"Opaque","value":"{{Convert.ToBase64String(identity)}}"},
            {"id":5,"type":"Opaque","value":"{{Convert.ToBase64String(key)}}"},{"id":10,"type":"Integer","value":1}]},
          {"path":"/1/0","resources":[{"id":0,"type":"Integer","value":1},{"id":1,"type":"Integer","value":300}]}]}
        """;

    private string Psk(string identity, byte[] key) => Account(CoapsPort, 0, Encoding.UTF8.GetBytes(identity), key);

    private async Task<JsonElement> SecurityEntryAsync(string endpoint)
    {
        HttpResponseMessage response = await Http.GetAsync($"/api/security/{endpoint}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task Put_of_a_psk_configuration_gives_the_lwm2m_server_its_identity_and_key()
    {
        HttpResponseMessage put = await Http.PutAsync("/api/bootstrap/dev-1", Json(Psk("dev-1-dm", [0xD0, 0xD1])));

        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        JsonElement entry = await SecurityEntryAsync("dev-1");
        Assert.Equal("dev-1-dm", entry.GetProperty("pskIdentity").GetString());
        Assert.Equal(new byte[] { 0xD0, 0xD1 }, _host.Security.GetByPskIdentity("dev-1-dm")!.PskKey.ToArray());
        Assert.Null(_host.BootstrapSecurity.GetByEndpoint("dev-1"));
        Assert.Same(_host.Provisioning, _host.Bootstrap.Store);
    }

    [Fact]
    public async Task Put_of_a_certificate_configuration_gives_the_lwm2m_server_a_certificate_entry()
    {
        TestIdentity client = TestCertificates.CreateLeaf("dev-c", TestCertificates.CreateCa("REST CA"));

        HttpResponseMessage put = await Http.PutAsync("/api/bootstrap/dev-c", Json(Account(CoapsPort, 2, client.Certificate.GetEncoded(), Encoding.ASCII.GetBytes(client.PrivateKeyPem))));

        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        Assert.True((await SecurityEntryAsync("dev-c")).GetProperty("certificate").GetBoolean());
    }

    [Fact]
    public async Task Delete_of_the_configuration_takes_the_provisioned_entry_back_out()
    {
        await Http.PutAsync("/api/bootstrap/dev-1", Json(Psk("dev-1-dm", [1, 2])));

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync("/api/bootstrap/dev-1")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/api/security/dev-1")).StatusCode);
    }

    [Fact]
    public async Task Put_that_contradicts_an_entry_set_by_hand_is_409_and_changes_neither_store()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await Http.PutAsync("/api/security/dev-1", Json("""{"pskIdentity":"by-hand","pskKey":"0a0b"}"""))).StatusCode);

        HttpResponseMessage put = await Http.PutAsync("/api/bootstrap/dev-1", Json(Psk("dev-1-dm", [1, 2])));

        Assert.Equal(HttpStatusCode.Conflict, put.StatusCode);
        string detail = JsonDocument.Parse(await put.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
        Assert.Contains("set by hand", detail, StringComparison.Ordinal);
        Assert.Equal("by-hand", (await SecurityEntryAsync("dev-1")).GetProperty("pskIdentity").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/api/bootstrap/dev-1")).StatusCode);
    }

    [Fact]
    public async Task An_account_of_another_server_provisions_nothing_here()
    {
        int elsewhere = CoapsPort == 6000 ? 6001 : 6000;

        HttpResponseMessage put = await Http.PutAsync("/api/bootstrap/dev-1", Json(Account(elsewhere, 0, "x"u8.ToArray(), [1])));

        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        Assert.Empty(_host.Security.GetAll());
    }

    [Fact]
    public async Task A_host_without_a_dtls_listener_or_with_the_link_off_provisions_nothing()
    {
        await using TernServerHost plain = await TernServerHost.StartAsync(new TernServerHostOptions { CoapPort = 0, BootstrapPort = 0, HttpPort = 0 });
        await using TernServerHost off = await TernServerHost.StartAsync(new TernServerHostOptions { CoapPort = 0, CoapsPort = 0, BootstrapPort = 0, HttpPort = 0, ProvisionServerSecurity = false });

        await plain.Bootstrap.Store.SetAsync("dev-1", BootstrapConfiguration.ForPskServer("coaps://127.0.0.1:5684", 1, TimeSpan.FromMinutes(5), "id", [1]));
        await off.Bootstrap.Store.SetAsync("dev-1", BootstrapConfiguration.ForPskServer($"coaps://127.0.0.1:{off.CoapsEndPoint!.Port}", 1, TimeSpan.FromMinutes(5), "id", [1]));

        Assert.Empty(plain.Security.GetAll());
        Assert.Empty(off.Security.GetAll());
        Assert.Null(off.Provisioning);
        Assert.IsType<InMemoryBootstrapConfigurationStore>(off.Bootstrap.Store);
    }
}
