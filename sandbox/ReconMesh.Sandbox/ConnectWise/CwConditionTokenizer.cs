using System.Text;
using Kind = ReconMesh.Sandbox.ConnectWise.CwConditionTokenKind;
using Token = ReconMesh.Sandbox.ConnectWise.CwConditionToken;

namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>Splits a conditions string into words, strings, numbers, [dates] and symbols; every error is a 400 in ConnectWise's body.</summary>
internal static class CwConditionTokenizer
{
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (c is '"' or '\'')
            {
                var value = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw Error($"Unterminated string starting at position {start + 1}.");
                    }

                    if (text[i] == '\\' && i + 1 < text.Length && (text[i + 1] == c || text[i + 1] == '\\'))
                    {
                        value.Append(text[i + 1]);
                        i += 2;
                        continue;
                    }

                    if (text[i] == c)
                    {
                        if (i + 1 < text.Length && text[i + 1] == c)
                        {
                            value.Append(c);
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    value.Append(text[i++]);
                }

                tokens.Add(new Token(Kind.String, value.ToString(), start));
            }
            else if (c == '[')
            {
                var end = text.IndexOf(']', i);
                if (end < 0)
                {
                    throw Error($"Unterminated date starting at position {start + 1}.");
                }

                tokens.Add(new Token(Kind.Date, text[(i + 1)..end].Trim(), start));
                i = end + 1;
            }
            else if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < text.Length && (char.IsAsciiDigit(text[i + 1]) || text[i + 1] == '.')) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                i++;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }

                var number = text[start..i];
                if (number.Count(ch => ch == '.') > 1 || (i < text.Length && (char.IsAsciiLetter(text[i]) || text[i] == '_')))
                {
                    throw Error($"'{number}' at position {start + 1} is not a valid number. {CwErrors.ConditionsHelp}");
                }

                tokens.Add(new Token(Kind.Number, number, start));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '/' or '.'))
                {
                    i++;
                }

                tokens.Add(new Token(Kind.Word, text[start..i], start));
            }
            else if (c is '(' or ')' or ',')
            {
                tokens.Add(new Token(Kind.Symbol, c.ToString(), start));
                i++;
            }
            else if (c is '=' or '!' or '<' or '>')
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
                if (two is "!=" or "<=" or ">=" or "<>")
                {
                    tokens.Add(new Token(Kind.Symbol, two, start));
                    i += 2;
                }
                else if (c == '!')
                {
                    throw Error($"Unexpected '!' at position {start + 1}.");
                }
                else
                {
                    tokens.Add(new Token(Kind.Symbol, c.ToString(), start));
                    i++;
                }
            }
            else
            {
                throw Error($"Unexpected character '{c}' at position {start + 1}.");
            }
        }

        tokens.Add(new Token(Kind.End, "", text.Length));
        return tokens;
    }

    private static CwErrorException Error(string message) => CwErrors.Conditions(message);
}
