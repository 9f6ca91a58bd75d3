using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats;

/// <summary>Receives the values of a node tree one by one, with their full paths.</summary>
internal interface ILeafSink
{
    /// <summary>Takes one value; a non-null error stops the walk.</summary>
    Lwm2mCodecError? Leaf(Lwm2mPath path, in Lwm2mValue value);
}

/// <summary>
/// Walks a node tree depth-first, in the order the nodes hold their children, handing every value to a
/// sink: the shared traversal of the writers that flatten trees into entries (SenML JSON, OMA JSON).
/// The sink is a struct passed by reference, so the walk allocates nothing.
/// </summary>
internal static class NodeLeaves
{
    /// <summary>Walks <paramref name="node"/>, found at <paramref name="path"/> beneath the request path <paramref name="basePath"/>.</summary>
    public static Lwm2mCodecError? Walk<TSink>(Lwm2mPath basePath, Lwm2mPath path, Lwm2mNode node, ref TSink sink)
        where TSink : struct, ILeafSink
    {
        Lwm2mCodecError? error = null;
        switch (node)
        {
            case Lwm2mObject o:
                for (int k = 0; k < o.Instances.Count && error is null; k++)
                {
                    error = Walk(basePath, path.Append(o.Instances[k].Id), o.Instances[k], ref sink);
                }

                return error;
            case Lwm2mObjectInstance i:
                for (int k = 0; k < i.Resources.Count && error is null; k++)
                {
                    error = Walk(basePath, path.Append(i.Resources[k].Id), i.Resources[k], ref sink);
                }

                return error;
            case Lwm2mMultipleResource m:
                for (int k = 0; k < m.Instances.Count && error is null; k++)
                {
                    error = sink.Leaf(path.Append(m.Instances[k].Id), m.Instances[k].Value);
                }

                return error;
            case Lwm2mSingleResource s:
                return sink.Leaf(path, s.Value);
            case Lwm2mResourceInstance ri when path == basePath:
                return sink.Leaf(path, ri.Value);
            default:
                return new Lwm2mCodecError(Lwm2mCodecErrorKind.PathMismatch, $"A {node.GetType().Name} does not live under {basePath}.");
        }
    }
}
