using Spectre.Console;

namespace Spillway.Cli;

/// <summary>A Spectre console over a writer: plain text (no colours or ANSI codes), so output can be piped and tested.</summary>
internal static class CliConsole
{
    public static IAnsiConsole For(TextWriter output, int width = 120)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;
        return console;
    }
}
