using System.IO.Pipelines;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Cli.Parsing;
using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth build [OPTIONS] PATH</c>: sends the context (filtered by .dockerignore) to <c>POST /build</c> and prints the steps
/// as they run. A failing RUN's exit code becomes the command's, as with the docker CLI.
/// </summary>
internal static class BuildCommand
{
    private static readonly OptionSpec[] Specs =
    [
        OptionSpec.Value("tag", 't'), OptionSpec.Value("file", 'f'), OptionSpec.Value("build-arg"), OptionSpec.Value("label"), OptionSpec.Value("target"),
        OptionSpec.Flag("no-cache"), OptionSpec.Flag("quiet", 'q'), OptionSpec.Flag("rm"), OptionSpec.Flag("force-rm"), OptionSpec.Flag("pull"),
        OptionSpec.Value("iidfile"), OptionSpec.Value("network"), OptionSpec.Value("platform"), OptionSpec.Value("cache-from"), OptionSpec.Value("add-host"),
        OptionSpec.Value("shm-size"), OptionSpec.Value("memory", 'm'), OptionSpec.Value("secret"),
    ];

    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        if (a.Positionals.Count != 1) throw new UsageException("\"build\" requires exactly 1 argument.");
        var contextDir = Path.GetFullPath(a.Positionals[0]);
        if (!Directory.Exists(contextDir)) throw new UsageException($"unable to prepare context: path \"{a.Positionals[0]}\" not found");
        var dockerfile = a.Value("file") is { Length: > 0 } f ? Path.GetFullPath(f) : Path.Join(contextDir, "Dockerfile");
        if (!File.Exists(dockerfile)) throw new UsageException($"unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat {dockerfile}: no such file or directory");

        var relDockerfile = Path.GetRelativePath(contextDir, dockerfile).Replace('\\', '/');
        string? injected = null;
        if (relDockerfile.StartsWith("../", StringComparison.Ordinal) || relDockerfile == "..")
        {
            injected = ".dockerfile." + Guid.NewGuid().ToString("N")[..20];
            relDockerfile = injected;
        }

        var query = new List<(string, string?)>();
        foreach (var t in a.Values("tag")) query.Add(("t", t));
        query.Add(("dockerfile", relDockerfile));
        if (a.Flag("quiet")) query.Add(("q", "1"));
        if (a.Flag("no-cache")) query.Add(("nocache", "1"));
        if (a.Has("rm") && !a.Flag("rm")) query.Add(("rm", "0"));
        if (a.Flag("force-rm")) query.Add(("forcerm", "1"));
        if (a.Flag("pull")) query.Add(("pull", "1"));
        if (a.Value("target") is { } target) query.Add(("target", target));
        if (a.Value("network") is { } network) query.Add(("networkmode", network));
        if (a.Value("platform") is { } platform) query.Add(("platform", platform));
        foreach (var h in a.Values("add-host")) query.Add(("extrahosts", h));
        if (a.Value("shm-size") is { } shm) query.Add(("shmsize", Units.RamInBytes(shm).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (a.Value("memory") is { } mem) query.Add(("memory", Units.RamInBytes(mem).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        query.Add(("buildargs", JsonObjectOf(a.Values("build-arg"), name => ctx.Env(name))));
        query.Add(("labels", JsonObjectOf(a.Values("label"), _ => "")));
        if (a.Values("cache-from").Count > 0) query.Add(("cachefrom", new JsonArray([.. a.Values("cache-from").Select(v => (JsonNode?)JsonValue.Create(v))]).ToJsonString()));

        var secrets = BuildSecrets.Encode(a.Values("secret"), ctx.Env);

        var patterns = BuildContextWriter.ReadIgnorePatterns(contextDir, dockerfile);
        var pipe = new Pipe();
        var producer = Task.Run(async () =>
        {
            try
            {
                await using (var tarOut = pipe.Writer.AsStream(leaveOpen: true))
                    await BuildContextWriter.WriteAsync(tarOut, contextDir, patterns, injected is null ? relDockerfile : null, injected, injected is null ? null : dockerfile, ct);
                await pipe.Writer.CompleteAsync();
            }
            catch (Exception ex)
            {
                await pipe.Writer.CompleteAsync(ex);
            }
        }, ct);

        var quiet = a.Flag("quiet");
        string? imageId = null;
        var stream = await ctx.Client.BuildAsync(pipe.Reader.AsStream(), query, ct, secrets);
        await producer;
        await using (stream)
        {
            await foreach (var msg in BerthClient.ReadJsonLinesAsync(stream, ct))
            {
                if (msg["errorDetail"] is JsonObject detail)
                {
                    await ctx.Out.FlushAsync(ct);
                    await ctx.Err.WriteLineAsync(detail["message"]?.GetValue<string>() ?? msg["error"]?.GetValue<string>() ?? "build failed");
                    return detail["code"]?.GetValue<int>() is int code and > 0 ? code : 1;
                }
                if (msg["aux"]?["ID"]?.GetValue<string>() is { } id) imageId = id;
                if (msg["stream"]?.GetValue<string>() is { } text)
                {
                    if (quiet) imageId ??= text.Trim();
                    else await ctx.Out.WriteAsync(text);
                }
            }
        }
        if (quiet && imageId is not null) await ctx.Out.WriteLineAsync(imageId);
        if (a.Value("iidfile") is { Length: > 0 } iidfile)
        {
            if (imageId is null) throw new DockerApiException(HttpStatusCode.InternalServerError, "the daemon reported no image id");
            await File.WriteAllTextAsync(iidfile, imageId, ct);
        }
        await ctx.Out.FlushAsync(ct);
        return 0;
    }

    /// <summary><c>KEY=VALUE</c> pairs as a JSON object; a bare <c>KEY</c> takes its value from the environment (null when unset).</summary>
    private static string JsonObjectOf(IReadOnlyList<string> pairs, Func<string, string?> bare)
    {
        var obj = new JsonObject();
        foreach (var p in pairs)
        {
            var eq = p.IndexOf('=', StringComparison.Ordinal);
            obj[eq < 0 ? p : p[..eq]] = eq < 0 ? bare(p) : p[(eq + 1)..];
        }
        return obj.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
