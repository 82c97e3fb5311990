using System.Globalization;
using Berth.Builder.Dockerfile;

namespace Berth.Builder.Execution;

/// <summary>Which stages a target needs: itself and, transitively, the stages its FROM, COPY --from and RUN --mount from= name (BuildKit skips the rest).</summary>
internal static class StageGraph
{
    public static List<int> Needed(DockerfileDocument doc, int target, ShellEnv metaEnv)
    {
        var needed = new SortedSet<int>();
        var pending = new Stack<int>();
        pending.Push(target);
        while (pending.Count > 0)
        {
            var i = pending.Pop();
            if (!needed.Add(i)) continue;
            foreach (var dep in Dependencies(doc, i, metaEnv)) pending.Push(dep);
        }
        return [.. needed];
    }

    /// <summary>The earlier stages stage <paramref name="i"/> builds on (FROM) or copies from (COPY --from) or mounts (RUN --mount=from=…): it waits for these only.</summary>
    public static List<int> Dependencies(DockerfileDocument doc, int i, ShellEnv metaEnv)
    {
        var deps = new List<int>();
        var stage = doc.Stages[i];
        string baseName;
        try { baseName = new ShellLex(doc.EscapeToken).ProcessWord(stage.BaseName, metaEnv); }
        catch (ShellSyntaxException) { baseName = stage.BaseName; }
        var from = doc.IndexOf(baseName);
        if (from >= 0 && from < i) deps.Add(from);
        foreach (var cmd in stage.Commands)
        {
            IEnumerable<string> froms = cmd switch
            {
                CopyInstruction { From.Length: > 0 } copy => [copy.From],
                RunInstruction run => run.Mounts.Select(RunMount.FromOf).Where(f => f.Length > 0),
                _ => [],
            };
            foreach (var name in froms)
            {
                var dep = doc.IndexOf(name);
                if (dep < 0 && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var ix)) dep = ix;
                if (dep >= 0 && dep < i && !deps.Contains(dep)) deps.Add(dep);
            }
        }
        return deps;
    }
}
