using System.Globalization;
using System.Text;
using Tern.Coap.Messages;
using Tern.Lwm2m.Formats.LinkFormat;

namespace Tern.Lwm2m.Client.Engine;

/// <summary>Builds the Register, Update and Deregister requests of the client registration interface.</summary>
public static class RegistrationMessages
{
    private const ushort LinkFormat = 40;

    /// <summary>The <c>lwm2m=</c> text of a version.</summary>
    /// <param name="version">The version.</param>
    public static string VersionText(Lwm2mVersion version) => version switch
    {
        Lwm2mVersion.Lwm2m10 => "1.0",
        Lwm2mVersion.Lwm2m11 => "1.1",
        _ => "1.2",
    };

    /// <summary>The Register request: POST /rd?ep=..&amp;lt=..&amp;lwm2m=..&amp;b=..[&amp;Q] with the object links.</summary>
    /// <param name="endpointName">The <c>ep</c>.</param>
    /// <param name="lifetime">The lifetime (whole seconds are sent).</param>
    /// <param name="version">The LwM2M version to claim.</param>
    /// <param name="binding">The binding; a <c>Q</c> in it asks for queue mode.</param>
    /// <param name="objects">The objects to advertise.</param>
    /// <param name="preferredContentFormat">The format advertised as <c>&lt;/&gt;;ct=</c>, if any.</param>
    public static CoapMessage Register(string endpointName, TimeSpan lifetime, Lwm2mVersion version, string binding,
        IReadOnlyList<Lwm2mObjectAdvert> objects, ushort? preferredContentFormat)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var message = NewRequest(CoapCode.Post);
        message.AddOption(CoapOption.FromString(CoapOptionNumber.UriPath, "rd"));
        AddQuery(message, "ep=" + endpointName);
        AddQuery(message, "lt=" + Seconds(lifetime));
        AddQuery(message, "lwm2m=" + VersionText(version));
        var queue = binding.Contains('Q', StringComparison.Ordinal);
        // 1.0 puts Q in the binding (UQ); 1.1 and later send transports in b and queue mode as a separate Q.
        AddQuery(message, "b=" + (version == Lwm2mVersion.Lwm2m10 ? binding : binding.Replace("Q", string.Empty, StringComparison.Ordinal)));
        if (queue && version != Lwm2mVersion.Lwm2m10)
        {
            AddQuery(message, "Q");
        }

        message.ContentFormat = LinkFormat;
        message.Payload = Encoding.UTF8.GetBytes(ObjectLinks(objects, preferredContentFormat));
        return message;
    }

    /// <summary>An Update: POST to the location path, with <c>lt</c> only when the lifetime changed and links only when the objects changed.</summary>
    /// <param name="location">The location path segments from Register.</param>
    /// <param name="lifetime">The new lifetime, or null when unchanged.</param>
    /// <param name="objects">The new object list, or null when unchanged.</param>
    /// <param name="preferredContentFormat">The format advertised with the links.</param>
    public static CoapMessage Update(IReadOnlyList<string> location, TimeSpan? lifetime, IReadOnlyList<Lwm2mObjectAdvert>? objects, ushort? preferredContentFormat)
    {
        var message = NewRequest(CoapCode.Post);
        AddPath(message, location);
        if (lifetime is { } lt)
        {
            AddQuery(message, "lt=" + Seconds(lt));
        }

        if (objects is not null)
        {
            message.ContentFormat = LinkFormat;
            message.Payload = Encoding.UTF8.GetBytes(ObjectLinks(objects, preferredContentFormat));
        }

        return message;
    }

    /// <summary>A Deregister: DELETE the location path.</summary>
    /// <param name="location">The location path segments from Register.</param>
    public static CoapMessage Deregister(IReadOnlyList<string> location)
    {
        var message = NewRequest(CoapCode.Delete);
        AddPath(message, location);
        return message;
    }

    /// <summary>The object links of Register and Update, e.g. <c>&lt;/&gt;;rt="oma.lwm2m";ct=112,&lt;/1&gt;;ver=1.1,&lt;/1/0&gt;,&lt;/3/0&gt;</c>.</summary>
    /// <param name="objects">The objects.</param>
    /// <param name="preferredContentFormat">The advertised format, if any.</param>
    public static string ObjectLinks(IReadOnlyList<Lwm2mObjectAdvert> objects, ushort? preferredContentFormat)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var links = new List<CoreLink>();
        if (preferredContentFormat is { } ct)
        {
            links.Add(new CoreLink("/", [new CoreLinkParameter("rt", "oma.lwm2m", Quoted: true), new CoreLinkParameter("ct", ct.ToString(CultureInfo.InvariantCulture))]));
        }

        foreach (var advert in objects.OrderBy(o => o.ObjectId))
        {
            var objectPath = "/" + advert.ObjectId.ToString(CultureInfo.InvariantCulture);
            if (advert.Version is { } version)
            {
                links.Add(new CoreLink(objectPath, [new CoreLinkParameter("ver", version)]));
            }
            else if (advert.InstanceIds.Count == 0)
            {
                links.Add(new CoreLink(objectPath));
            }

            foreach (var instance in advert.InstanceIds.Order())
            {
                links.Add(new CoreLink(objectPath + "/" + instance.ToString(CultureInfo.InvariantCulture)));
            }
        }

        return CoreLinkFormat.Format(links);
    }

    private static CoapMessage NewRequest(CoapCode code) => new() { Type = CoapMessageType.Confirmable, Code = code };

    private static void AddPath(CoapMessage message, IReadOnlyList<string> location)
    {
        ArgumentNullException.ThrowIfNull(location);
        foreach (var segment in location)
        {
            message.AddOption(CoapOption.FromString(CoapOptionNumber.UriPath, segment));
        }
    }

    private static void AddQuery(CoapMessage message, string query) => message.AddOption(CoapOption.FromString(CoapOptionNumber.UriQuery, query));

    private static string Seconds(TimeSpan span) => ((long)span.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
