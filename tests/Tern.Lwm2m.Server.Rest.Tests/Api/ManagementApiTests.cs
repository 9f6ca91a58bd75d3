using System.Net;
using System.Text;
using System.Text.Json;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Server.Rest.Tests.Api;

public class ManagementApiTests : RestHostFixture
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Create_on_an_object_makes_the_instance_on_the_client()
    {
        await RegisterAsync("dev");

        HttpResponseMessage response = await Http.PostAsync("/api/clients/dev/3303", Json("""{"id":1,"resources":[{"id":5700,"type":"Float","value":21.5}]}"""));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/clients/dev/3303/1", response.Headers.Location?.OriginalString);
        Assert.Contains("CREATE /3303/1", Device.Log);
        Assert.Equal(Lwm2mValue.FromFloat(21.5), Device.ValueAt(new Lwm2mPath(3303, 1, 5700)));
    }

    [Fact]
    public async Task Create_without_an_instance_id_is_400()
    {
        await RegisterAsync("dev");

        await AssertProblemAsync(await Http.PostAsync("/api/clients/dev/3303", Json("""{"resources":[]}""")), HttpStatusCode.BadRequest, "needs the new instance's 'id'");
    }

    [Fact]
    public async Task Partial_write_sends_only_the_given_resources()
    {
        await RegisterAsync("dev");

        HttpResponseMessage response = await Http.PutAsync("/api/clients/dev/1/0?replace=false", Json("""{"resources":[{"id":1,"type":"Integer","value":600}]}"""));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Contains("UPDATE /1/0", Device.Log);
        Assert.Equal(Lwm2mValue.FromInteger(600), Device.ValueAt(new Lwm2mPath(1, 0, 1)));
    }

    [Fact]
    public async Task Delete_reaches_the_client()
    {
        await RegisterAsync("dev");

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync("/api/clients/dev/3303/1")).StatusCode);

        Assert.Contains("DELETE /3303/1", Device.Log);
    }

    [Fact]
    public async Task Delete_of_the_whole_client_is_400()
    {
        await RegisterAsync("dev");

        await AssertProblemAsync(await Http.DeleteAsync("/api/clients/dev/"), HttpStatusCode.BadRequest, "cannot be deleted");
    }

    [Fact]
    public async Task Discover_lists_links_with_their_attributes()
    {
        await RegisterAsync("dev");

        JsonElement links = await JsonAsync(await Http.GetAsync("/api/clients/dev/3/0/discover"));

        Assert.Equal(["/3/0", "/3/0/0", "/3/0/9"], links.EnumerateArray().Select(l => l.GetProperty("target").GetString()));
        Assert.Equal("60", links[2].GetProperty("attributes").GetProperty("pmax").GetString());
    }

    [Fact]
    public async Task Write_attributes_passes_the_query_to_the_client()
    {
        await RegisterAsync("dev");

        HttpResponseMessage response = await Http.PutAsync("/api/clients/dev/3/0/9/attributes?pmin=10&pmax=60", null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        string line = Assert.Single(Device.Log);
        Assert.StartsWith("ATTRIBUTES /3/0/9?", line, StringComparison.Ordinal);
        Assert.Contains("pmin=10", line, StringComparison.Ordinal);
        Assert.Contains("pmax=60", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pmin=ten", "are not valid")]
    [InlineData("colour=red", "are not valid")]
    public async Task Bad_attributes_are_400(string query, string detail)
    {
        await RegisterAsync("dev");

        await AssertProblemAsync(await Http.PutAsync($"/api/clients/dev/3/0/9/attributes?{query}", null), HttpStatusCode.BadRequest, detail);
        Assert.Empty(Device.Log);
    }

    [Fact]
    public async Task Discover_depth_outside_0_to_3_is_400()
    {
        await RegisterAsync("dev");

        await AssertProblemAsync(await Http.GetAsync("/api/clients/dev/3/discover?depth=9"), HttpStatusCode.BadRequest, "Discover depth");
    }

    [Fact]
    public async Task Writing_an_instance_in_a_format_that_cannot_carry_it_is_400()
    {
        await RegisterAsync("dev");

        await AssertProblemAsync(await Http.PutAsync("/api/clients/dev/1/0?format=text", Json("""{"resources":[{"id":1,"type":"Integer","value":600}]}""")), HttpStatusCode.BadRequest, "cannot be written");
    }
}
