using System.Net;
using System.Text.Json;

namespace Tern.Lwm2m.Server.Rest.Tests.Api;

public class ClientsApiTests : RestHostFixture
{
    [Fact]
    public async Task Client_list_is_empty_before_anyone_registers()
    {
        JsonElement clients = await JsonAsync(await Http.GetAsync("/api/clients"));

        Assert.Equal(0, clients.GetArrayLength());
    }

    [Fact]
    public async Task Client_list_shows_a_client_after_it_registers()
    {
        await RegisterAsync("dev-1");

        JsonElement clients = await JsonAsync(await Http.GetAsync("/api/clients"));

        JsonElement client = Assert.Single(clients.EnumerateArray());
        Assert.Equal("dev-1", client.GetProperty("endpoint").GetString());
        Assert.Equal("1.1", client.GetProperty("lwm2mVersion").GetString());
        Assert.Equal(300, client.GetProperty("lifetime").GetInt64());
        Assert.Equal("</1/0>,</3/0>", client.GetProperty("objectLinks").GetString());
    }

    [Fact]
    public async Task One_client_is_served_by_its_endpoint_name()
    {
        await RegisterAsync("dev-2");

        HttpResponseMessage response = await Http.GetAsync("/api/clients/dev-2");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement client = await JsonAsync(response);
        Assert.Equal("dev-2", client.GetProperty("endpoint").GetString());
        Assert.Equal("U", client.GetProperty("binding").GetString());
        Assert.StartsWith("127.0.0.1:", client.GetProperty("address").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_endpoint_is_404_with_problem_details()
    {
        await AssertProblemAsync(await Http.GetAsync("/api/clients/nobody"), HttpStatusCode.NotFound, "'nobody'");
    }

    [Fact]
    public async Task Reading_from_an_unknown_endpoint_is_404_with_problem_details()
    {
        await AssertProblemAsync(await Http.GetAsync("/api/clients/nobody/3/0/9"), HttpStatusCode.NotFound, "'nobody'");
    }
}
