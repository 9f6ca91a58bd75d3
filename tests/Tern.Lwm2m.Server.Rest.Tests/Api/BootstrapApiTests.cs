using System.Net;
using System.Text;
using System.Text.Json;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Bootstrap;

namespace Tern.Lwm2m.Server.Rest.Tests.Api;

public class BootstrapApiTests : RestHostFixture
{
    private const string Configuration = """
        {"deletes":["/0","/1"],"discover":true,"format":"tlv","writes":[
          {"path":"/0/1","resources":[{"id":0,"type":"String","value":"coap://127.0.0.1:5683"},{"id":1,"type":"Boolean","value":false},{"id":10,"type":"Integer","value":101}]},
          {"path":"/1/0","resources":[{"id":0,"type":"Integer","value":101},{"id":1,"type":"Integer","value":300}]}]}
        """;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Put_configuration_reaches_the_bootstrap_servers_store()
    {
        HttpResponseMessage response = await Http.PutAsync("/api/bootstrap/dev", Json(Configuration));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        BootstrapConfiguration? stored = await Host.Bootstrap.Store.GetAsync("dev");
        Assert.NotNull(stored);
        Assert.Equal([new Lwm2mPath(0), new Lwm2mPath(1)], stored.Deletes);
        Assert.True(stored.Discover);
        Assert.Equal(Lwm2mContentFormat.Tlv, stored.ContentFormat);
        Assert.Equal([new Lwm2mPath(0, 1), new Lwm2mPath(1, 0)], stored.Writes.Select(w => w.Path));
        var server = Assert.IsType<Lwm2mObjectInstance>(stored.Writes[1].Node);
        Assert.Contains(new Lwm2mSingleResource(1, Lwm2mValue.FromInteger(300)), server.Resources);
    }

    [Fact]
    public async Task Configuration_reads_back_and_lists_after_it_is_put()
    {
        await Http.PutAsync("/api/bootstrap/dev", Json(Configuration));

        JsonElement one = await JsonAsync(await Http.GetAsync("/api/bootstrap/dev"));
        JsonElement all = await JsonAsync(await Http.GetAsync("/api/bootstrap"));

        Assert.Equal("dev", one.GetProperty("endpoint").GetString());
        Assert.Equal("tlv", one.GetProperty("format").GetString());
        Assert.Equal("/0/1", one.GetProperty("writes")[0].GetProperty("path").GetString());
        Assert.Equal(300, one.GetProperty("writes")[1].GetProperty("resources")[1].GetProperty("value").GetInt64());
        Assert.Equal("dev", Assert.Single(all.EnumerateArray()).GetProperty("endpoint").GetString());
    }

    [Fact]
    public async Task Deleted_configuration_is_gone()
    {
        await Http.PutAsync("/api/bootstrap/dev", Json(Configuration));

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync("/api/bootstrap/dev")).StatusCode);

        Assert.Null(await Host.Bootstrap.Store.GetAsync("dev"));
        await AssertProblemAsync(await Http.GetAsync("/api/bootstrap/dev"), HttpStatusCode.NotFound, "no bootstrap configuration");
        await AssertProblemAsync(await Http.DeleteAsync("/api/bootstrap/dev"), HttpStatusCode.NotFound, "no bootstrap configuration");
    }

    [Theory]
    [InlineData("""{"deletes":["/a"]}""", "deletes:")]
    [InlineData("""{"writes":[{"resources":[]}]}""", "every entry needs a 'path'")]
    [InlineData("""{"writes":[{"path":"/1/0","resources":[{"id":1,"type":"Integer","value":"x"}]}]}""", "/1/0/1: \"x\" is not a valid Integer value")]
    [InlineData("""{"format":"yaml"}""", "format: 'yaml' is not a content format")]
    [InlineData("""{"deletes":""", "not a bootstrap configuration")]
    public async Task Bad_configurations_are_400_and_not_stored(string body, string detail)
    {
        await AssertProblemAsync(await Http.PutAsync("/api/bootstrap/dev", Json(body)), HttpStatusCode.BadRequest, detail);

        Assert.Null(await Host.Bootstrap.Store.GetAsync("dev"));
    }
}
