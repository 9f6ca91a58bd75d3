using System.Collections.ObjectModel;
using System.Globalization;
using System.Xml;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Definitions.Ddf;

public sealed partial class DdfObjectLoader
{
    /// <summary>Walks one document with an <see cref="XmlReader"/>, never recursing on the input's shape.</summary>
    private sealed partial class Parser(XmlReader reader, string source, int maxDepth)
    {
        private readonly IXmlLineInfo? _lines = reader as IXmlLineInfo;
        private readonly List<ObjectDefinition> _objects = [];
        private readonly List<ResourceDefinition> _common = [];

        private XmlReader Reader => reader;

        public DdfLoadResult ParseDocument()
        {
            if (reader.MoveToContent() != XmlNodeType.Element)
            {
                throw Problem("The document has no root element.");
            }

            switch (reader.LocalName)
            {
                case "LWM2M":
                    (int line, int column) = Position();
                    ForEachChild(name =>
                    {
                        if (name == "Object")
                        {
                            ParseObject();
                        }
                        else
                        {
                            SkipElement();
                        }
                    });
                    if (_objects.Count == 0 && _common.Count == 0)
                    {
                        throw new DdfProblemException("The <LWM2M> element holds no <Object> element.", line, column);
                    }

                    return Finish(DdfDocumentKind.Definitions);
                case "DDFList":
                    SkipElement();
                    return Finish(DdfDocumentKind.RegistryIndex);
                case "units":
                    SkipElement();
                    return Finish(DdfDocumentKind.UnitsTable);
                default:
                    throw Problem($"The root element is <{reader.Name}>; a DDF document starts with <LWM2M>.");
            }
        }

        private DdfLoadResult Finish(DdfDocumentKind kind)
        {
            // Reading to the end proves the rest of the document is well-formed too.
            while (reader.Read())
            {
            }

            return DdfLoadResult.Success(source, kind, _objects, _common);
        }

        private void ParseObject()
        {
            bool common = reader.GetAttribute("ObjectType") == "CommonResources";
            (int line, int column) = Position();
            var fields = new Fields(this);
            var resources = new List<ResourceDefinition>();
            bool sawResources = false;
            ForEachChild(name =>
            {
                if (name == "Resources")
                {
                    sawResources = true;
                    ForEachChild(item =>
                    {
                        if (item == "Item")
                        {
                            resources.Add(ParseItem(common));
                        }
                        else
                        {
                            SkipElement();
                        }
                    });
                }
                else
                {
                    fields.Read(name, "Name", "Description1", "ObjectID", "ObjectURN", "LWM2MVersion", "ObjectVersion", "MultipleInstances", "Mandatory");
                }
            });

            if (common)
            {
                _common.AddRange(resources);
                return;
            }

            int id = ParseId(fields.Required("ObjectID", line, column), fields.Position("ObjectID"), "ObjectID");
            if (_objects.Exists(o => o.Id == id))
            {
                throw new DdfProblemException($"Object {id} is defined twice in this document.", fields.Position("ObjectID").Line, fields.Position("ObjectID").Column);
            }

            if (!sawResources)
            {
                throw new DdfProblemException($"Object {id} has no <Resources> element.", line, column);
            }

            var byId = new Dictionary<int, ResourceDefinition>(resources.Count);
            foreach (ResourceDefinition r in resources.OrderBy(r => r.Id))
            {
                if (!byId.TryAdd(r.Id, r))
                {
                    throw new DdfProblemException($"Object {id} defines resource {r.Id} twice.", line, column);
                }
            }

            _objects.Add(new ObjectDefinition(
                id,
                fields.Required("Name", line, column),
                fields.Optional("ObjectVersion", "1.0"),
                fields.Optional("LWM2MVersion", "1.0"),
                ParseChoice(fields, "MultipleInstances", "Multiple", "Single", line, column),
                ParseChoice(fields, "Mandatory", "Mandatory", "Optional", line, column),
                fields.Required("ObjectURN", line, column),
                new ReadOnlyDictionary<int, ResourceDefinition>(byId),
                fields.Optional("Description1", string.Empty)));
        }

        private ResourceDefinition ParseItem(bool common)
        {
            (int line, int column) = Position();
            string? idText = reader.GetAttribute("ID");
            if (idText is null)
            {
                throw Problem("An <Item> has no ID attribute.");
            }

            int id = ParseId(idText, (line, column), "Item ID");
            var fields = new Fields(this);
            ForEachChild(name => fields.Read(name, "Name", "Operations", "MultipleInstances", "Mandatory", "Type", "RangeEnumeration", "Units", "Description"));

            return new ResourceDefinition(
                id,
                fields.Required("Name", line, column),
                ParseOperations(fields, id, line, column),
                common && !fields.Has("MultipleInstances") ? false : ParseChoice(fields, "MultipleInstances", "Multiple", "Single", line, column),
                common && !fields.Has("Mandatory") ? false : ParseChoice(fields, "Mandatory", "Mandatory", "Optional", line, column),
                ParseType(fields, id, line, column),
                fields.Optional("RangeEnumeration", string.Empty),
                fields.Optional("Units", string.Empty),
                fields.Optional("Description", string.Empty));
        }

        private static int ParseId(string text, (int Line, int Column) at, string what)
        {
            if (text.Length == 0 || text.Length > 5 || text.AsSpan().ContainsAnyExceptInRange('0', '9')
                || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int id))
            {
                throw new DdfProblemException($"{what} '{Shorten(text)}' is not a decimal number in 0–{Lwm2mPath.MaxId}.", at.Line, at.Column);
            }

            if (id > Lwm2mPath.MaxId)
            {
                throw new DdfProblemException($"{what} {id} is out of range: ids are 0–{Lwm2mPath.MaxId} and 65535 is reserved.", at.Line, at.Column);
            }

            return id;
        }

        private static bool ParseChoice(Fields fields, string name, string yes, string no, int line, int column)
        {
            string text = fields.Required(name, line, column);
            if (text != yes && text != no)
            {
                throw new DdfProblemException($"<{name}> is '{Shorten(text)}'; expected '{yes}' or '{no}'.", fields.Position(name).Line, fields.Position(name).Column);
            }

            return text == yes;
        }

        private static Lwm2mOperations ParseOperations(Fields fields, int id, int line, int column) => fields.Required("Operations", line, column) switch
        {
            "" => Lwm2mOperations.None,
            "R" => Lwm2mOperations.Read,
            "W" => Lwm2mOperations.Write,
            "RW" => Lwm2mOperations.ReadWrite,
            "E" => Lwm2mOperations.Execute,
            string other => throw new DdfProblemException($"Resource {id}: <Operations> is '{Shorten(other)}'; expected R, W, RW, E or empty.",
                fields.Position("Operations").Line, fields.Position("Operations").Column),
        };

        private static Lwm2mResourceType ParseType(Fields fields, int id, int line, int column) => fields.Optional("Type", string.Empty) switch
        {
            "" => Lwm2mResourceType.None,
            "String" => Lwm2mResourceType.String,
            "Integer" => Lwm2mResourceType.Integer,
            "Unsigned Integer" => Lwm2mResourceType.UnsignedInteger,
            "Float" => Lwm2mResourceType.Float,
            "Boolean" => Lwm2mResourceType.Boolean,
            "Opaque" => Lwm2mResourceType.Opaque,
            "Time" => Lwm2mResourceType.Time,
            "Objlnk" => Lwm2mResourceType.Objlnk,
            "Corelnk" => Lwm2mResourceType.Corelnk,
            string other => throw new DdfProblemException(
                $"Resource {id}: <Type> is '{Shorten(other)}'; expected String, Integer, Unsigned Integer, Float, Boolean, Opaque, Time, Objlnk, Corelnk or empty.",
                fields.Has("Type") ? fields.Position("Type").Line : line, fields.Has("Type") ? fields.Position("Type").Column : column),
        };

        private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");

        /// <summary>Calls <paramref name="onChild"/> on each child element; it must consume the element.</summary>
        private void ForEachChild(Action<string> onChild)
        {
            if (reader.IsEmptyElement)
            {
                reader.Read();
                return;
            }

            int depth = reader.Depth;
            reader.Read();
            while (!(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
            {
                if (reader.EOF)
                {
                    throw Problem("The document ends inside an element.");
                }

                if (reader.NodeType == XmlNodeType.Element)
                {
                    CheckDepth();
                    onChild(reader.LocalName);
                }
                else
                {
                    reader.Read();
                }
            }

            reader.Read();
        }

        /// <summary>Skips the current element and its content, enforcing the depth limit on the way.</summary>
        private void SkipElement()
        {
            if (reader.IsEmptyElement)
            {
                reader.Read();
                return;
            }

            int depth = reader.Depth;
            while (reader.Read() && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
            {
                if (reader.NodeType == XmlNodeType.Element)
                {
                    CheckDepth();
                }
            }

            reader.Read();
        }

        private void CheckDepth()
        {
            if (reader.Depth > maxDepth)
            {
                throw Problem($"Elements nest deeper than {maxDepth} levels.");
            }
        }

        private (int Line, int Column) Position() => _lines is { } l ? (l.LineNumber, l.LinePosition) : (0, 0);

        private DdfProblemException Problem(string message)
        {
            (int line, int column) = Position();
            return new DdfProblemException(message, line, column);
        }
    }
}
