using System.Text;
using Spillway.Core.Configuration.Yaml;
using Spillway.Core.Providers;

namespace Spillway.Cli;

/// <summary>
/// Where <c>spillway keys add</c> reads the key: piped stdin, a prompt that does not echo, or a named variable.
/// Never a command-line argument: arguments are visible to every user through <c>ps</c> and <c>/proc</c>.
/// </summary>
internal static class SecretInput
{
    // Longer than any provider key; more than this on stdin is a file piped in by mistake.
    private const int MaxLength = 4096;

    /// <summary>The key, or null with one line on <paramref name="error"/> saying why there is none.</summary>
    public static async Task<Secret?> ReadAsync(string? fromVariable, string provider, IReadOnlyDictionary<string, string?> environment, TextWriter error, CancellationToken cancellationToken)
    {
        string text;
        string source;
        if (fromVariable is not null)
        {
            if (!ConfigNames.IsEnvironmentVariableName(fromVariable))
            {
                await error.WriteLineAsync($"spillway: --from-env takes the name of an environment variable (letters, digits and '_').");
                return null;
            }

            if (!environment.TryGetValue(fromVariable, out var value) || string.IsNullOrWhiteSpace(value))
            {
                await error.WriteLineAsync($"spillway: environment variable {fromVariable} is not set.");
                return null;
            }

            (text, source) = (value, fromVariable);
        }
        else if (Console.IsInputRedirected)
        {
            var buffer = new char[MaxLength + 1];
            var read = await Console.In.ReadBlockAsync(buffer, cancellationToken);
            (text, source) = (new string(buffer, 0, read), "stdin");
            Array.Clear(buffer);
            if (read > MaxLength)
            {
                await error.WriteLineAsync("spillway: stdin holds more than one key; pipe in the key alone.");
                return null;
            }
        }
        else
        {
            (text, source) = (ReadHidden($"Key for {provider} (input hidden): "), "the prompt");
        }

        // A trailing newline from `echo` or a file is never part of a key.
        var key = text.Trim();
        if (key.Length == 0)
        {
            await error.WriteLineAsync(
                $"spillway: no key on {source}: pipe it in (printf '%s' \"$KEY\" | spillway keys add ...), type it at the prompt, or use --from-env VAR.");
            return null;
        }

        if (key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            await error.WriteLineAsync($"spillway: the key on {source} is not one word: expected a single key with no spaces or line breaks.");
            return null;
        }

        if (key.Length < 8)
        {
            await error.WriteLineAsync($"spillway: the key on {source} is {key.Length} characters long; no provider key is that short.");
            return null;
        }

        return new Secret(key);
    }

    /// <summary>Reads a line from the terminal without showing it (no echo, no mask).</summary>
    private static string ReadHidden(string prompt)
    {
        Console.Error.Write(prompt);
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                text.Length = Math.Max(0, text.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }

        Console.Error.WriteLine();
        return text.ToString();
    }
}
