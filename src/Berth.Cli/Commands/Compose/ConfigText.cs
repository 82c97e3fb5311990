using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary>The normalized project as text, through the loader's <c>ConfigWriter</c>.</summary>
internal static class ConfigText
{
    public static string Render(ComposeProject project, string format) =>
        throw new Berth.Compose.ComposeException($"compose config: output not wired yet ({project.Name}, {format})");
}
