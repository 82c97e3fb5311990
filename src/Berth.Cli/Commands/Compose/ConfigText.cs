using Berth.Compose;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary>The normalized project as text, through the loader's <see cref="ConfigWriter"/> (YAML only, as the loader writes it).</summary>
internal static class ConfigText
{
    public static string Render(ComposeProject project, string format) =>
        format is "yaml" or "" ? ConfigWriter.ToYaml(project) : throw new ComposeException($"unsupported format \"{format}\": berth compose config writes yaml");
}
