namespace Tern.Lwm2m.Client.Tests.Driver;

/// <summary>
/// The end-to-end tests with two Tern servers run many virtual minutes each; they run on their own, after the
/// parallel classes, so they do not crowd the thread pool that every virtual-network fixture relies on to settle.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MultiServerTestGroup
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Two Tern servers";
}
