using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace Spillway.Cli;

/// <summary>
/// Parsers for numeric options whose error says what the option takes, in words
/// (<c>--days takes a whole number of days (got 'abc')</c>), instead of naming a CLR type such as <c>System.Int32</c>.
/// </summary>
internal static class NumberOptions
{
    /// <summary>Makes <paramref name="option"/> read a whole number; <paramref name="what"/> completes "takes a whole number of …".</summary>
    public static Option<T> WholeNumberOf<T>(this Option<T> option, string what)
        where T : struct, IBinaryInteger<T>
    {
        option.CustomParser = result => Parse<T>(result, option.Name, "a whole number of " + what, NumberStyles.Integer);
        return option;
    }

    /// <inheritdoc cref="WholeNumberOf{T}(Option{T}, string)"/>
    public static Option<T?> WholeNumberOf<T>(this Option<T?> option, string what)
        where T : struct, IBinaryInteger<T>
    {
        option.CustomParser = result => Parse<T>(result, option.Name, "a whole number of " + what, NumberStyles.Integer);
        return option;
    }

    /// <summary>Makes <paramref name="option"/> read an amount of US dollars such as <c>0.50</c>.</summary>
    public static Option<decimal?> Dollars(this Option<decimal?> option)
    {
        option.CustomParser = result => Parse<decimal>(result, option.Name, "an amount in USD, like 0.50", NumberStyles.Number);
        return option;
    }

    /// <summary>Makes <paramref name="option"/> read a TCP port, 0 (any free port) to 65535.</summary>
    public static Option<int?> PortNumber(this Option<int?> option)
    {
        option.CustomParser = result =>
        {
            var port = Parse<int>(result, option.Name, "a port number, 0 to 65535", NumberStyles.None);
            if (port is < 0 or > 65535)
            {
                result.AddError($"{option.Name} takes a port number, 0 to 65535 (got '{result.Tokens[^1].Value}')");
            }

            return port;
        };
        return option;
    }

    private static T Parse<T>(ArgumentResult result, string name, string takes, NumberStyles styles)
        where T : struct, INumberBase<T>
    {
        var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        if (T.TryParse(token, styles, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"{name} takes {takes} (got '{token}')");
        return default;
    }
}
