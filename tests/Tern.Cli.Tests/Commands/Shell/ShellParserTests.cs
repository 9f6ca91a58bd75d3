using Tern.Cli.Commands.Shell;
using Tern.Lwm2m.Model;

namespace Tern.Cli.Tests.Commands.Shell;

public sealed class ShellParserTests
{
    private static T Parsed<T>(string line)
        where T : ShellCommand
    {
        ShellParseResult result = ShellParser.Parse(line);
        Assert.Null(result.Error);
        return Assert.IsType<T>(result.Command);
    }

    [Theory]
    [InlineData("read 3/0/0", "/3/0/0", "Default", 0)]
    [InlineData("read /3/0/0 -s", "/3/0/0", "String", 0)]
    [InlineData("read 3/0/9 -b", "/3/0/9", "Boolean", 0)]
    [InlineData("read 3/0/9 -u8", "/3/0/9", "Unsigned", 8)]
    [InlineData("read 3/0/9 -s16", "/3/0/9", "Signed", 16)]
    [InlineData("READ 3303/0/5700 -f", "/3303/0/5700", "Float", 0)]
    [InlineData("read 3/0/13 -t", "/3/0/13", "Time", 0)]
    [InlineData("read 3/0/11/0 -s64", "/3/0/11/0", "Signed", 64)]
    public void Read_takes_a_resource_path_and_an_optional_type(string line, string path, string kind, int bits)
    {
        var read = Parsed<ReadCommand>(line);
        Assert.Equal(Lwm2mPath.Parse(path), read.Path);
        Assert.Equal(new ShellValueType(Enum.Parse<ShellValueKind>(kind), bits), read.Type);
    }

    [Fact]
    public void Write_parses_each_type_into_its_value()
    {
        Assert.Equal(Lwm2mValue.FromString("model X 2"), Parsed<WriteCommand>("write 3/0/1 model X 2").Value);
        Assert.Equal(Lwm2mValue.FromString("a  b"), Parsed<WriteCommand>("write 3/0/1 -s a  b").Value);
        Assert.Equal(Lwm2mValue.FromBoolean(true), Parsed<WriteCommand>("write 1/0/6 -b 1").Value);
        Assert.Equal(Lwm2mValue.FromBoolean(false), Parsed<WriteCommand>("write 1/0/6 -b false").Value);
        Assert.Equal(Lwm2mValue.FromUnsignedInteger(255), Parsed<WriteCommand>("write 3/0/9 -u8 255").Value);
        Assert.Equal(Lwm2mValue.FromUnsignedInteger(ulong.MaxValue), Parsed<WriteCommand>("write 3/0/9 -u64 18446744073709551615").Value);
        Assert.Equal(Lwm2mValue.FromInteger(-128), Parsed<WriteCommand>("write 3/0/9 -s8 -128").Value);
        Assert.Equal(Lwm2mValue.FromFloat(-2.5), Parsed<WriteCommand>("write 3303/0/5700 -f -2.5").Value);
        Assert.Equal(Lwm2mValue.FromUnixTime(1700000000), Parsed<WriteCommand>("write 3/0/13 -t 1700000000").Value);
        Assert.Equal(Lwm2mPath.Parse("/3/0/1"), Parsed<WriteCommand>("write /3/0/1 x").Path);
    }

    [Fact]
    public void Exec_create_delete_and_ls_take_their_paths()
    {
        Assert.Equal(new ExecCommand(Lwm2mPath.Parse("/3/0/4"), null), Parsed<ExecCommand>("exec 3/0/4"));
        Assert.Equal(new ExecCommand(Lwm2mPath.Parse("/5/0/2"), "0='x'"), Parsed<ExecCommand>("exec 5/0/2 0='x'"));
        Assert.Equal(new CreateCommand(Lwm2mPath.Parse("/3303/1")), Parsed<CreateCommand>("create 3303/1"));
        Assert.Equal(new DeleteCommand(Lwm2mPath.Parse("/3303/1")), Parsed<DeleteCommand>("delete /3303/1"));
        Assert.Equal(new ListCommand(Lwm2mPath.Root), Parsed<ListCommand>("ls"));
        Assert.Equal(new ListCommand(Lwm2mPath.Parse("/3/0")), Parsed<ListCommand>("ls 3/0"));
    }

    [Fact]
    public void Send_and_cache_take_paths_and_a_count()
    {
        Assert.Equal([Lwm2mPath.Parse("/3303/0/5700"), Lwm2mPath.Parse("/3/0")], Parsed<SendCommand>("send 3303/0/5700 3/0").Paths);
        Assert.Equal(new CacheCommand(Lwm2mPath.Parse("/3303/0/5700"), 10), Parsed<CacheCommand>("cache 3303/0/5700 10"));
    }

    [Theory]
    [InlineData("start", "Start")]
    [InlineData("update", "Update")]
    [InlineData("pause", "Pause")]
    [InlineData("resume", "Resume")]
    [InlineData("lock", "Lock")]
    [InlineData("unlock", "Unlock")]
    [InlineData("obs", "Observations")]
    [InlineData("state", "State")]
    [InlineData("  help ", "Help")]
    [InlineData("quit", "Quit")]
    [InlineData("exit", "Quit")]
    public void Commands_without_arguments_parse_to_their_kind(string line, string kind) =>
        Assert.Equal(Enum.Parse<SimpleCommandKind>(kind), Parsed<SimpleCommand>(line).Kind);

    [Fact]
    public void Stop_takes_an_optional_force_flag()
    {
        Assert.False(Parsed<StopCommand>("stop").Force);
        Assert.True(Parsed<StopCommand>("stop -f").Force);
    }

    [Theory]
    [InlineData("   ")]
    [InlineData("")]
    public void A_blank_line_is_neither_a_command_nor_an_error(string line)
    {
        ShellParseResult result = ShellParser.Parse(line);
        Assert.Null(result.Command);
        Assert.Null(result.Error);
    }

    [Theory]
    [InlineData("frobnicate", "unknown command 'frobnicate'")]
    [InlineData("read", "usage: read")]
    [InlineData("read 3/0", "not a resource path")]
    [InlineData("read 3/x/0", "not a resource path")]
    [InlineData("read 3/0/0 -q", "unknown type '-q'")]
    [InlineData("read 3/0/0 -u12", "unknown type '-u12'")]
    [InlineData("read 3/0/0 -s 1", "usage: read")]
    [InlineData("write 3/0/1", "usage: write")]
    [InlineData("write 3/0 x", "not a resource path")]
    [InlineData("write 3/0/1 -z x", "unknown type '-z'")]
    [InlineData("write 3/0/9 -b maybe", "not a boolean")]
    [InlineData("write 3/0/9 -u8 256", "not an unsigned 8-bit integer")]
    [InlineData("write 3/0/9 -u16 -1", "not an unsigned 16-bit integer")]
    [InlineData("write 3/0/9 -s8 128", "not a signed 8-bit integer")]
    [InlineData("write 3/0/9 -s32 2147483648", "not a signed 32-bit integer")]
    [InlineData("write 3/0/9 -s64 x", "not a signed 64-bit integer")]
    [InlineData("write 3303/0/5700 -f warm", "not a float")]
    [InlineData("write 3303/0/5700 -f NaN", "not a float")]
    [InlineData("write 3/0/13 -t noon", "not a time")]
    [InlineData("write 3/0/9 -u8 1 2", "one value")]
    [InlineData("exec", "usage: exec")]
    [InlineData("exec 3/0", "not a resource path")]
    [InlineData("exec 3/0/4 a b", "usage: exec")]
    [InlineData("create", "usage: create")]
    [InlineData("create 3303", "not an object instance path")]
    [InlineData("delete 3303/0/5700", "not an object instance path")]
    [InlineData("delete 1 2", "usage: delete")]
    [InlineData("ls 3/abc", "not a path")]
    [InlineData("ls 3 4", "usage: ls")]
    [InlineData("stop -x", "usage: stop")]
    [InlineData("send", "usage: send")]
    [InlineData("send 3/x", "not a path")]
    [InlineData("cache 3303/0/5700", "usage: cache")]
    [InlineData("cache 3303/0 5", "not a resource path")]
    [InlineData("cache 3303/0/5700 0", "not a positive number")]
    [InlineData("cache 3303/0/5700 many", "not a positive number")]
    [InlineData("update now", "update takes no arguments")]
    [InlineData("quit please", "quit takes no arguments")]
    public void Bad_lines_give_one_line_errors(string line, string expected)
    {
        ShellParseResult result = ShellParser.Parse(line);
        Assert.Null(result.Command);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', result.Error!);
    }

    [Fact]
    public void Random_lines_never_throw_and_give_a_command_or_an_error()
    {
        var random = new Random(7);
        string[] words = ["read", "write", "exec", "create", "delete", "ls", "stop", "send", "cache", "-f", "-s", "-u8", "-b", "3/0/1", "/3303/0", "x", "-1", "99999999999999999999", "//", "3//0"];
        for (int i = 0; i < 2000; i++)
        {
            string line = string.Join(' ', Enumerable.Range(0, random.Next(0, 5)).Select(_ => words[random.Next(words.Length)]));
            ShellParseResult result = ShellParser.Parse(line);
            Assert.False(result.Command is not null && result.Error is not null, line);
        }

        Assert.Contains("longer than", ShellParser.Parse(new string('a', ShellParser.MaxLineLength + 1)).Error, StringComparison.Ordinal);
    }
}
