using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Tests.Model;

public class Lwm2mPathTests
{
    [Theory]
    [InlineData("/", 0, null, null, null, null)]
    [InlineData("", 0, null, null, null, null)]
    [InlineData("/3", 1, 3, null, null, null)]
    [InlineData("3", 1, 3, null, null, null)]
    [InlineData("/3/0", 2, 3, 0, null, null)]
    [InlineData("/3/0/1", 3, 3, 0, 1, null)]
    [InlineData("/3/0/7/2", 4, 3, 0, 7, 2)]
    [InlineData("/65534/65534/65534/65534", 4, 65534, 65534, 65534, 65534)]
    [InlineData("/0/0/0/0", 4, 0, 0, 0, 0)]
    public void Valid_paths_parse_into_their_levels_and_ids(string text, int level, int? o, int? i, int? r, int? ri)
    {
        Assert.True(Lwm2mPath.TryParse(text, out Lwm2mPath path));

        Assert.Equal((Lwm2mPathLevel)level, path.Level);
        Assert.Equal((o, i, r, ri), (path.ObjectId, path.InstanceId, path.ResourceId, path.ResourceInstanceId));
    }

    [Theory]
    [InlineData("/65535")]
    [InlineData("/3/65535")]
    [InlineData("/3/0/65535")]
    [InlineData("/3/0/1/65535")]
    [InlineData("/99999")]
    [InlineData("/100000")]
    [InlineData("/3/0/1/2/3")]
    [InlineData("//3")]
    [InlineData("/3//0")]
    [InlineData("/3/0/")]
    [InlineData("/3/")]
    [InlineData("/-3")]
    [InlineData("/+3")]
    [InlineData("/ 3")]
    [InlineData("/3 ")]
    [InlineData(" /3")]
    [InlineData("/3/a")]
    [InlineData("/3.0")]
    [InlineData("/03")]
    [InlineData("/3/00")]
    [InlineData("/0x3")]
    [InlineData("/٣")]
    [InlineData("//")]
    public void Invalid_paths_are_refused(string text)
    {
        Assert.False(Lwm2mPath.TryParse(text, out Lwm2mPath path));
        Assert.Equal(Lwm2mPath.Root, path);
        Assert.Throws<FormatException>(() => Lwm2mPath.Parse(text));
    }

    [Fact]
    public void Null_text_is_not_a_path()
    {
        Assert.False(Lwm2mPath.TryParse((string?)null, out _));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/3")]
    [InlineData("/3/0")]
    [InlineData("/3/0/1")]
    [InlineData("/3/0/1/2")]
    [InlineData("/65534/0/10/65534")]
    public void A_path_prints_as_it_was_written(string text)
    {
        Assert.Equal(text, Lwm2mPath.Parse(text).ToString());
    }

    [Fact]
    public void Every_id_from_0_to_65534_round_trips_and_65535_does_not()
    {
        for (int id = 0; id <= 65535; id++)
        {
            bool ok = Lwm2mPath.TryParse($"/1/{id}", out Lwm2mPath path);

            Assert.Equal(id <= 65534, ok);
            if (ok)
            {
                Assert.Equal(id, path.InstanceId);
            }
        }
    }

    [Fact]
    public void The_constructor_checks_ids_and_shape()
    {
        Assert.Equal(Lwm2mPath.Parse("/3/0/1/2"), new Lwm2mPath(3, 0, 1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Lwm2mPath(65535));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Lwm2mPath(3, -1));
        Assert.Throws<ArgumentException>(() => new Lwm2mPath(3, null, 1));
        Assert.Throws<ArgumentException>(() => new Lwm2mPath(3, 0, null, 1));
    }

    [Fact]
    public void Default_is_root()
    {
        Assert.True(default(Lwm2mPath).IsRoot);
        Assert.Equal(Lwm2mPath.Root, Lwm2mPath.Parse("/"));
        Assert.Equal("/", default(Lwm2mPath).ToString());
    }

    [Fact]
    public void Append_goes_one_level_down_and_parent_one_level_up()
    {
        Lwm2mPath path = Lwm2mPath.Root.Append(3).Append(0).Append(7).Append(2);

        Assert.Equal(Lwm2mPath.Parse("/3/0/7/2"), path);
        Assert.Equal(Lwm2mPath.Parse("/3/0/7"), path.Parent);
        Assert.Equal(Lwm2mPath.Parse("/3/0"), path.Parent.Parent);
        Assert.Equal(Lwm2mPath.Parse("/3"), path.Parent.Parent.Parent);
        Assert.Equal(Lwm2mPath.Root, path.Parent.Parent.Parent.Parent);
        Assert.Equal(Lwm2mPath.Root, Lwm2mPath.Root.Parent);
    }

    [Fact]
    public void Parent_equals_the_parsed_shorter_path_so_it_can_key_dictionaries()
    {
        var seen = new HashSet<Lwm2mPath> { Lwm2mPath.Parse("/3/0") };

        Assert.Contains(Lwm2mPath.Parse("/3/0/1").Parent, seen);
        Assert.Equal(Lwm2mPath.Parse("/3/0").GetHashCode(), Lwm2mPath.Parse("/3/0/1").Parent.GetHashCode());
    }

    [Fact]
    public void Append_refuses_reserved_ids_and_children_of_resource_instances()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Lwm2mPath.Parse("/3").Append(65535));
        Assert.Throws<InvalidOperationException>(() => Lwm2mPath.Parse("/3/0/1/2").Append(0));
    }

    [Theory]
    [InlineData("/", "/3/0/1", true)]
    [InlineData("/", "/", true)]
    [InlineData("/3", "/3", true)]
    [InlineData("/3", "/3/0/1/2", true)]
    [InlineData("/3/0", "/3/0/1", true)]
    [InlineData("/3/0/1", "/3/0/1/0", true)]
    [InlineData("/3/0/1/0", "/3/0/1/0", true)]
    [InlineData("/3", "/4/0", false)]
    [InlineData("/3/0", "/3/1/0", false)]
    [InlineData("/3/0/1", "/3/0/2", false)]
    [InlineData("/3/0/1/0", "/3/0/1/1", false)]
    [InlineData("/3/0/1", "/3/0", false)]
    [InlineData("/3", "/", false)]
    [InlineData("/0/0", "/0", false)]
    public void Contains_is_true_for_the_path_itself_and_everything_below(string outer, string inner, bool expected)
    {
        Assert.Equal(expected, Lwm2mPath.Parse(outer).Contains(Lwm2mPath.Parse(inner)));
    }

    [Fact]
    public void Paths_sort_depth_first()
    {
        string[] expected = ["/", "/0", "/0/0", "/0/0/0", "/0/0/0/0", "/0/0/0/1", "/0/0/1", "/0/1", "/3", "/3/0/1", "/3/0/10", "/4", "/10", "/65534"];
        var shuffled = expected.OrderBy(s => s.GetHashCode()).Select(Lwm2mPath.Parse).ToList();

        shuffled.Sort();

        Assert.Equal(expected, shuffled.Select(p => p.ToString()));
    }

    [Fact]
    public void Comparison_operators_agree_with_CompareTo()
    {
        Lwm2mPath a = Lwm2mPath.Parse("/3/0"), b = Lwm2mPath.Parse("/3/0/1"), c = Lwm2mPath.Parse("/3/1");

        Assert.True(a < b && b < c && a < c);
        Lwm2mPath a2 = Lwm2mPath.Parse("/3/0");
        Assert.True(c > b && b >= a && a <= a2 && a >= a2 && !(a < a2));
        Assert.Equal(0, a.CompareTo(Lwm2mPath.Parse("/3/0")));
    }

    [Fact]
    public void Random_paths_round_trip_and_order_like_their_id_tuples()
    {
        var random = new Random(42);
        var paths = new List<Lwm2mPath>();
        for (int n = 0; n < 2000; n++)
        {
            int depth = random.Next(0, 5);
            Lwm2mPath path = Lwm2mPath.Root;
            for (int d = 0; d < depth; d++)
            {
                path = path.Append(random.Next(0, 4) == 0 ? random.Next(0, 3) : random.Next(0, 65535));
            }

            Assert.Equal(path, Lwm2mPath.Parse(path.ToString()));
            paths.Add(path);
        }

        static int[] Ids(Lwm2mPath p) => new int?[] { p.ObjectId, p.InstanceId, p.ResourceId, p.ResourceInstanceId }.TakeWhile(x => x.HasValue).Select(x => x!.Value).ToArray();
        static int Lexicographic(int[] x, int[] y)
        {
            for (int i = 0; i < Math.Min(x.Length, y.Length); i++)
            {
                if (x[i] != y[i])
                {
                    return x[i].CompareTo(y[i]);
                }
            }

            return x.Length.CompareTo(y.Length);
        }

        for (int n = 0; n < paths.Count - 1; n++)
        {
            Assert.Equal(Math.Sign(Lexicographic(Ids(paths[n]), Ids(paths[n + 1]))), Math.Sign(paths[n].CompareTo(paths[n + 1])));
        }
    }
}
