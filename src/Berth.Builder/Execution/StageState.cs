using Berth.Api.Models.Containers;
using Berth.Builder.Dockerfile;

namespace Berth.Builder.Execution;

/// <summary>One stage's dispatch state (moby's dispatchState): the config being built, the current image and the args in scope.</summary>
internal sealed class StageState(BuildArgs args, ShellLex lex)
{
    public ContainerConfig RunConfig { get; set; } = new();
    public BuildImage Image { get; set; } = BuildImage.Scratch;
    public ImageConfig ImageConfig { get; set; } = new();
    public string? Maintainer { get; set; }
    public bool CmdSet { get; set; }
    public string StageName { get; set; } = "";

    public int StageIndex { get; set; }

    /// <summary>Where this stage's progress goes (stages may run in parallel; see <see cref="OrderedOutput"/>).</summary>
    public IBuildOutput Out { get; set; } = null!;
    public BuildArgs Args { get; } = args;
    public ShellLex Lex { get; } = lex;

    /// <summary>Set after the first cache miss of a stage: later steps never hit (moby's imageProber).</summary>
    public bool CacheBusted { get; set; }

    public string ImageId => Image.Id;

    /// <summary>The variables expansions see: ENV first, then the build args ENV does not shadow.</summary>
    public ShellEnv Env() => new([.. RunConfig.Env ?? [], .. Args.FilterAllowed(RunConfig.Env ?? [])]);

    public string Expand(string word)
    {
        try { return Lex.ProcessWord(word, Env()); }
        catch (ShellSyntaxException ex) { throw new BuildFailedException(ex.Message); }
    }

    public List<string> Shell() => RunConfig.Shell is { Count: > 0 } s ? [.. s] : ["/bin/sh", "-c"];
}
