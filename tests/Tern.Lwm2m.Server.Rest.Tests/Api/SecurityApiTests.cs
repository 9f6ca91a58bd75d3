using System.Net;
using System.Text;
using System.Text.Json;
using Tern.Lwm2m.Server.Security;

namespace Tern.Lwm2m.Server.Rest.Tests.Api;

public class SecurityApiTests : RestHostFixture
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Put_psk_entry_reaches_the_servers_security_store()
    {
        HttpResponseMessage response = await Http.PutAsync("/api/security/dev-1", Json("""{"pskIdentity":"id-1","pskKey":"00112233AABBccdd"}"""));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Same(Host.Security, Host.Server.Security);
        SecurityInfo stored = Host.Security.GetByPskIdentity("id-1")!;
        Assert.Equal("dev-1", stored.Endpoint);
        Assert.Equal(new byte[] { 0x00, 0x11, 0x22, 0x33, 0xAA, 0xBB, 0xCC, 0xDD }, stored.PskKey.ToArray());
    }

    [Fact]
    public async Task Entries_read_back_and_list_without_their_keys()
    {
        await Http.PutAsync("/api/security/dev-1", Json("""{"pskIdentity":"id-1","pskKey":"0a0b0c"}"""));
        await Http.PutAsync("/api/security/dev-2", Json("""{"certificate":true}"""));

        HttpResponseMessage oneResponse = await Http.GetAsync("/api/security/dev-1");
        JsonElement one = await JsonAsync(oneResponse);
        JsonElement all = await JsonAsync(await Http.GetAsync("/api/security"));

        Assert.Equal(HttpStatusCode.OK, oneResponse.StatusCode);
        Assert.Equal("dev-1", one.GetProperty("endpoint").GetString());
        Assert.Equal("id-1", one.GetProperty("pskIdentity").GetString());
        Assert.False(one.TryGetProperty("pskKey", out _));
        Assert.Equal(["dev-1", "dev-2"], all.EnumerateArray().Select(e => e.GetProperty("endpoint").GetString()));
        Assert.True(all[1].GetProperty("certificate").GetBoolean());
    }

    [Fact]
    public async Task Deleted_entry_is_gone()
    {
        await Http.PutAsync("/api/security/dev-1", Json("""{"pskIdentity":"id-1","pskKey":"0a0b0c"}"""));

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync("/api/security/dev-1")).StatusCode);

        Assert.Null(Host.Security.GetByEndpoint("dev-1"));
        Assert.Null(Host.Security.GetByPskIdentity("id-1"));
        await AssertProblemAsync(await Http.GetAsync("/api/security/dev-1"), HttpStatusCode.NotFound, "no security entry");
        await AssertProblemAsync(await Http.DeleteAsync("/api/security/dev-1"), HttpStatusCode.NotFound, "no security entry");
    }

    [Fact]
    public async Task An_identity_of_another_endpoint_is_a_conflict()
    {
        await Http.PutAsync("/api/security/dev-1", Json("""{"pskIdentity":"shared","pskKey":"0a0b0c"}"""));

        await AssertProblemAsync(await Http.PutAsync("/api/security/dev-2", Json("""{"pskIdentity":"shared","pskKey":"0d0e0f"}""")), HttpStatusCode.Conflict, "dev-1");

        Assert.Null(Host.Security.GetByEndpoint("dev-2"));
    }

    [Theory]
    [InlineData("""{"pskIdentity":"id","pskKey":"xyz"}""", "hexadecimal")]
    [InlineData("""{"pskIdentity":"id","pskKey":"abc"}""", "hexadecimal")]
    [InlineData("""{"pskIdentity":"id"}""", "non-empty pskKey")]
    [InlineData("""{"pskIdentity":"","pskKey":"00"}""", "non-empty pskIdentity")]
    [InlineData("""{}""", "either pskIdentity")]
    [InlineData("""{"pskIdentity":"id","pskKey":"00","certificate":true}""", "either pskIdentity")]
    [InlineData("""{"pskIdentity":12}""", "not a security entry")]
    [InlineData("""not json""", "not a security entry")]
    [InlineData("""null""", "JSON null")]
    public async Task Bad_entries_are_refused_with_400_and_change_nothing(string body, string detail)
    {
        await AssertProblemAsync(await Http.PutAsync("/api/security/dev-1", Json(body)), HttpStatusCode.BadRequest, detail);

        Assert.Empty(Host.Security.GetAll());
    }

    [Fact]
    public async Task A_client_on_plain_coap_cannot_register_an_endpoint_once_it_has_credentials()
    {
        await RegisterAsync("open-dev");
        await Http.PutAsync("/api/security/locked-dev", Json("""{"pskIdentity":"locked","pskKey":"0a0b0c"}"""));

        Assert.Equal(Tern.Coap.Messages.CoapCode.Forbidden, await Device.RegisterAsync(Host.CoapEndPoint, "locked-dev"));
    }
}
