using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Tests.Model;

public class Lwm2mValueTests
{
    [Fact]
    public void Each_factory_sets_its_type_and_its_accessor_returns_the_value()
    {
        var link = new Lwm2mObjectLink(3, 7);
        var time = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
        byte[] bytes = [1, 2, 3];

        Assert.Equal("abc", Lwm2mValue.FromString("abc").AsString());
        Assert.Equal(-5L, Lwm2mValue.FromInteger(-5).AsInteger());
        Assert.Equal(ulong.MaxValue, Lwm2mValue.FromUnsignedInteger(ulong.MaxValue).AsUnsignedInteger());
        Assert.Equal(2.5, Lwm2mValue.FromFloat(2.5).AsFloat());
        Assert.True(Lwm2mValue.FromBoolean(true).AsBoolean());
        Assert.Same(bytes, Lwm2mValue.FromOpaque(bytes).AsOpaque());
        Assert.Equal(time, Lwm2mValue.FromTime(time).AsTime());
        Assert.Equal(time.ToUnixTimeSeconds(), Lwm2mValue.FromUnixTime(time.ToUnixTimeSeconds()).AsUnixTime());
        Assert.Equal(link, Lwm2mValue.FromObjectLink(link).AsObjectLink());
        Assert.Equal("</3>", Lwm2mValue.FromCoreLink("</3>").AsString());
        Assert.Equal(
            [Lwm2mResourceType.String, Lwm2mResourceType.Integer, Lwm2mResourceType.UnsignedInteger, Lwm2mResourceType.Float, Lwm2mResourceType.Boolean,
             Lwm2mResourceType.Opaque, Lwm2mResourceType.Time, Lwm2mResourceType.Objlnk, Lwm2mResourceType.Corelnk],
            new[]
            {
                Lwm2mValue.FromString("a"), Lwm2mValue.FromInteger(1), Lwm2mValue.FromUnsignedInteger(1), Lwm2mValue.FromFloat(1), Lwm2mValue.FromBoolean(true),
                Lwm2mValue.FromOpaque([]), Lwm2mValue.FromUnixTime(1), Lwm2mValue.FromObjectLink(link), Lwm2mValue.FromCoreLink("</1>"),
            }.Select(v => v.Type));
    }

    [Fact]
    public void Time_drops_sub_second_precision()
    {
        var time = new DateTimeOffset(2026, 1, 1, 0, 0, 1, 999, TimeSpan.FromHours(2));

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds()), Lwm2mValue.FromTime(time).AsTime());
    }

    [Fact]
    public void Object_links_keep_both_16_bit_ids_including_the_null_link()
    {
        Assert.Equal(Lwm2mObjectLink.Null, Lwm2mValue.FromObjectLink(Lwm2mObjectLink.Null).AsObjectLink());
        Assert.Equal(new Lwm2mObjectLink(65535, 0), Lwm2mValue.FromObjectLink(new Lwm2mObjectLink(65535, 0)).AsObjectLink());
        Assert.Equal(new Lwm2mObjectLink(0, 65535), Lwm2mValue.FromObjectLink(new Lwm2mObjectLink(0, 65535)).AsObjectLink());
    }

    [Fact]
    public void A_wrong_accessor_throws_and_names_the_right_one()
    {
        Lwm2mValue integer = Lwm2mValue.FromInteger(5);

        var error = Assert.Throws<InvalidOperationException>(() => integer.AsString());

        Assert.Contains("Integer", error.Message, StringComparison.Ordinal);
        Assert.Contains("AsInteger()", error.Message, StringComparison.Ordinal);
        Assert.Contains("AsTime()", Assert.Throws<InvalidOperationException>(() => Lwm2mValue.FromUnixTime(0).AsFloat()).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => Lwm2mValue.FromString("5").AsInteger());
        Assert.Throws<InvalidOperationException>(() => Lwm2mValue.FromInteger(1).AsBoolean());
        Assert.Throws<InvalidOperationException>(() => Lwm2mValue.FromInteger(1).AsUnixTime());
        Assert.Throws<InvalidOperationException>(() => Lwm2mValue.FromUnixTime(1).AsInteger());
        Assert.Throws<InvalidOperationException>(() => Lwm2mValue.FromInteger(1).AsUnsignedInteger());
        Assert.Throws<InvalidOperationException>(() => Lwm2mValue.FromString("x").AsOpaque());
        Assert.Throws<InvalidOperationException>(() => Lwm2mValue.FromInteger(1).AsObjectLink());
        Assert.Contains("no value", Assert.Throws<InvalidOperationException>(() => default(Lwm2mValue).AsString()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_references_are_refused_by_the_factories()
    {
        Assert.Throws<ArgumentNullException>(() => Lwm2mValue.FromString(null!));
        Assert.Throws<ArgumentNullException>(() => Lwm2mValue.FromOpaque(null!));
        Assert.Throws<ArgumentNullException>(() => Lwm2mValue.FromCoreLink(null!));
    }

    [Fact]
    public void Opaque_values_are_equal_by_content_with_equal_hashes()
    {
        Lwm2mValue a = Lwm2mValue.FromOpaque([1, 2, 3]), b = Lwm2mValue.FromOpaque([1, 2, 3]), c = Lwm2mValue.FromOpaque([1, 2, 4]);

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        Assert.True(a != c);
        Assert.NotEqual(a.GetHashCode(), c.GetHashCode());
    }

    [Fact]
    public void Values_of_different_types_are_never_equal_even_with_the_same_bits()
    {
        Assert.NotEqual(Lwm2mValue.FromInteger(1), Lwm2mValue.FromUnixTime(1));
        Assert.NotEqual(Lwm2mValue.FromInteger(1), Lwm2mValue.FromUnsignedInteger(1));
        Assert.NotEqual(Lwm2mValue.FromInteger(1), Lwm2mValue.FromBoolean(true));
        Assert.NotEqual(Lwm2mValue.FromString("</1>"), Lwm2mValue.FromCoreLink("</1>"));
        Assert.NotEqual(Lwm2mValue.FromInteger(0), default);
    }

    [Fact]
    public void Floats_compare_by_bits()
    {
        Assert.Equal(Lwm2mValue.FromFloat(double.NaN), Lwm2mValue.FromFloat(double.NaN));
        Assert.NotEqual(Lwm2mValue.FromFloat(0.0), Lwm2mValue.FromFloat(-0.0));
        Assert.Equal(Lwm2mValue.FromFloat(0.1 + 0.2), Lwm2mValue.FromFloat(0.30000000000000004));
    }

    [Fact]
    public void Equal_strings_hash_alike_and_usable_as_dictionary_keys()
    {
        var set = new HashSet<Lwm2mValue> { Lwm2mValue.FromString("x"), Lwm2mValue.FromOpaque([9]), Lwm2mValue.FromInteger(3) };

        Assert.Contains(Lwm2mValue.FromString(new string('x', 1)), set);
        Assert.Contains(Lwm2mValue.FromOpaque([9]), set);
        Assert.Contains(Lwm2mValue.FromInteger(3), set);
        Assert.DoesNotContain(Lwm2mValue.FromUnixTime(3), set);
        Assert.False(Lwm2mValue.FromInteger(3).Equals((object)3L));
    }

    [Fact]
    public void ToString_gives_the_plain_text_form_and_opaque_as_hex()
    {
        Assert.Equal("-7", Lwm2mValue.FromInteger(-7).ToString());
        Assert.Equal("1", Lwm2mValue.FromBoolean(true).ToString());
        Assert.Equal("0.5", Lwm2mValue.FromFloat(0.5).ToString());
        Assert.Equal("3:0", Lwm2mValue.FromObjectLink(new Lwm2mObjectLink(3, 0)).ToString());
        Assert.Equal("0AFF", Lwm2mValue.FromOpaque([0x0A, 0xFF]).ToString());
        Assert.Equal(string.Empty, default(Lwm2mValue).ToString());
    }
}
