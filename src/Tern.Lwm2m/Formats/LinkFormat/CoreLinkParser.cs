using System.Text;

namespace Tern.Lwm2m.Formats.LinkFormat;

/// <summary>The link-format parser: one pass over the bytes, one error at the first problem.</summary>
internal ref struct CoreLinkParser(ReadOnlySpan<byte> text, CoreLinkLimits limits)
{
    private readonly ReadOnlySpan<byte> _text = text;
    private int _pos;

    public Lwm2mCodecResult<IReadOnlyList<CoreLink>> ParseAll()
    {
        var links = new List<CoreLink>();
        SkipWhitespace();
        if (_pos == _text.Length)
        {
            return Lwm2mCodecResult<IReadOnlyList<CoreLink>>.Success(links);
        }

        while (true)
        {
            if (links.Count == limits.MaxLinks)
            {
                return Fail(Lwm2mCodecErrorKind.TooLarge, $"More than {limits.MaxLinks} links.");
            }

            Lwm2mCodecResult<CoreLink> link = ParseLink();
            if (!link.IsSuccess)
            {
                return link.Error!;
            }

            links.Add(link.Value!);
            SkipWhitespace();
            if (_pos == _text.Length)
            {
                return Lwm2mCodecResult<IReadOnlyList<CoreLink>>.Success(links);
            }

            if (_text[_pos] != ',')
            {
                return Fail(Lwm2mCodecErrorKind.Malformed, "Expected ',' or ';' after a link.");
            }

            _pos++;
            SkipWhitespace();
        }
    }

    private Lwm2mCodecResult<CoreLink> ParseLink()
    {
        if (_pos == _text.Length)
        {
            return Fail(Lwm2mCodecErrorKind.Truncated, "Expected a link after ','.");
        }

        if (_text[_pos] != '<')
        {
            return Fail(Lwm2mCodecErrorKind.Malformed, "A link starts with '<'.");
        }

        int start = ++_pos;
        int close = _text[start..].IndexOfAny((byte)'>', (byte)'<');
        if (close < 0)
        {
            _pos = _text.Length;
            return Fail(Lwm2mCodecErrorKind.Truncated, "The link target has no closing '>'.");
        }

        if (_text[start + close] == '<')
        {
            _pos = start + close;
            return Fail(Lwm2mCodecErrorKind.Malformed, "The link target holds '<'.");
        }

        ReadOnlySpan<byte> target = _text.Slice(start, close);
        int bad = target.IndexOfAnyInRange((byte)0, (byte)0x20);
        if (bad >= 0)
        {
            _pos = start + bad;
            return Fail(Lwm2mCodecErrorKind.Malformed, "The link target holds a space or control character.");
        }

        _pos = start + close + 1;
        var parameters = new List<CoreLinkParameter>();
        while (_pos < _text.Length && _text[_pos] == ';')
        {
            _pos++;
            if (parameters.Count == limits.MaxParametersPerLink)
            {
                return Fail(Lwm2mCodecErrorKind.TooLarge, $"More than {limits.MaxParametersPerLink} parameters on one link.");
            }

            Lwm2mCodecResult<CoreLinkParameter> parameter = ParseParameter();
            if (!parameter.IsSuccess)
            {
                return parameter.Error!;
            }

            parameters.Add(parameter.Value!);
        }

        return Lwm2mCodecResult<CoreLink>.Success(new CoreLink(Encoding.UTF8.GetString(target), parameters));
    }

    private Lwm2mCodecResult<CoreLinkParameter> ParseParameter()
    {
        int start = _pos;
        while (_pos < _text.Length && Formats.LinkFormat.CoreLinkFormat.IsNameChar(_text[_pos]))
        {
            _pos++;
        }

        if (_pos == start)
        {
            return Fail(_pos == _text.Length ? Lwm2mCodecErrorKind.Truncated : Lwm2mCodecErrorKind.Malformed, "Expected a parameter name after ';'.");
        }

        string name = Encoding.ASCII.GetString(_text[start.._pos]);
        if (_pos == _text.Length || _text[_pos] != '=')
        {
            return Lwm2mCodecResult<CoreLinkParameter>.Success(new CoreLinkParameter(name, null));
        }

        _pos++;
        if (_pos == _text.Length)
        {
            return Fail(Lwm2mCodecErrorKind.Truncated, $"Parameter '{name}' has '=' but no value.");
        }

        if (_text[_pos] != '"')
        {
            int valueStart = _pos;
            while (_pos < _text.Length && Formats.LinkFormat.CoreLinkFormat.IsTokenChar(_text[_pos]))
            {
                _pos++;
            }

            return _pos == valueStart
                ? Fail(Lwm2mCodecErrorKind.Malformed, $"Parameter '{name}' has '=' but no value.")
                : Lwm2mCodecResult<CoreLinkParameter>.Success(new CoreLinkParameter(name, Encoding.ASCII.GetString(_text[valueStart.._pos])));
        }

        int open = _pos++;
        var value = new List<byte>();
        while (_pos < _text.Length && _text[_pos] != '"')
        {
            if (_text[_pos] == '\\')
            {
                if (++_pos == _text.Length)
                {
                    break;
                }
            }

            value.Add(_text[_pos++]);
        }

        if (_pos == _text.Length)
        {
            _pos = open;
            return Fail(Lwm2mCodecErrorKind.Truncated, $"The quoted value of '{name}' is not closed.");
        }

        _pos++;
        return Lwm2mCodecResult<CoreLinkParameter>.Success(new CoreLinkParameter(name, Encoding.UTF8.GetString([.. value]), Quoted: true));
    }

    private void SkipWhitespace()
    {
        while (_pos < _text.Length && _text[_pos] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            _pos++;
        }
    }

    private readonly Lwm2mCodecError Fail(Lwm2mCodecErrorKind kind, string message) => new(kind, message, _pos);
}
