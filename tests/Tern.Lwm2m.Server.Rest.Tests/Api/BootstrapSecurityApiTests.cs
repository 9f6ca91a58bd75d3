using System.Net;
using System.Text;
using System.Text.Json;
using Tern.Lwm2m.Server.Security;

namespace Tern.Lwm2m.Server.Rest.Tests.Api;

/// <summary><c>/api/bootstrap-security</c>: the bootstrap server's entries, kept apart from the LwM2M server's.</summary>
public class BootstrapSecurityApiTests : RestHostFixture
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Put_bootstrap_psk_reaches_the_bootstrap_servers_store_and_not_the_lwm2m_servers()
    {
        HttpResponseMessage response = await Http.PutAsync("/api/bootstrap-security/dev-1", Json("""{"pskIdentity":"bs-1","pskKey":"a0a1a2a3"}"""));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Same(Host.BootstrapSecurity, Host.Bootstrap.Security);
        Assert.Equal("dev-1", Host.BootstrapSecurity.GetByPskIdentity("bs-1")!.Endpoint);
        Assert.Equal(new byte[] { 0xA0, 0xA1, 0xA2, 0xA3 }, Host.BootstrapSecurity.GetByEndpoint("dev-1")!.PskKey.ToArray());
        Assert.Null(Host.Security.GetByEndpoint("dev-1"));
    }

    [Fact]
    public async Task The_same_endpoint_may_bootstrap_with_one_identity_and_register_with_another()
    {
        await Http.PutAsync("/api/bootstrap-security/dev-1", Json("""{"pskIdentity":"dev-1-bs","pskKey":"0a0b"}"""));
        await Http.PutAsync("/api/security/dev-1", Json("""{"pskIdentity":"dev-1-dm","pskKey":"0c0d"}"""));

        JsonElement bootstrap = await JsonAsync(await Http.GetAsync("/api/bootstrap-security/dev-1"));
        JsonElement server = await JsonAsync(await Http.GetAsync("/api/security/dev-1"));

        Assert.Equal("dev-1-bs", bootstrap.GetProperty("pskIdentity").GetString());
        Assert.Equal("dev-1-dm", server.GetProperty("pskIdentity").GetString());
    }

    [Fact]
    public async Task Deleting_a_bootstrap_entry_leaves_the_lwm2m_servers_entry()
    {
        Assert.True(Host.Security.TryPut(SecurityInfo.ForCertificate("dev-2"), out _));
        Assert.True(Host.BootstrapSecurity.TryPut(SecurityInfo.ForCertificate("dev-2"), out _));

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync("/api/bootstrap-security/dev-2")).StatusCode);

        Assert.Null(Host.BootstrapSecurity.GetByEndpoint("dev-2"));
        Assert.NotNull(Host.Security.GetByEndpoint("dev-2"));
        await AssertProblemAsync(await Http.GetAsync("/api/bootstrap-security/dev-2"), HttpStatusCode.NotFound, "dev-2");
    }
}
