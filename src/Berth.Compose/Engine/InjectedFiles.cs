using System.Formats.Tar;
using System.Globalization;
using System.Text;
using Berth.Compose.Model;

namespace Berth.Compose.Engine;

/// <summary>
/// Secrets and configs whose value is not a file (<c>environment:</c>, or a config's <c>content:</c>). docker/compose cannot
/// bind-mount those, so before each start of a container it copies a one-file tar into it (<c>PUT /containers/{id}/archive</c>
/// at <c>/</c>): the file lands at the secret's or config's target, mode 0444 unless <c>mode</c> says otherwise, owned by
/// <c>uid</c>/<c>gid</c> (the daemon is asked to keep the tar's ids only when one of them is set, as Compose asks).
/// </summary>
public static class InjectedFiles
{
    /// <summary>One file to write into a container.</summary>
    public sealed record Entry(string Kind, string Name, string Target, string Content, ServiceFileReference Reference)
    {
        /// <summary>What Compose passes as <c>copyUIDGID</c>.</summary>
        public bool CopyUidGid => !string.IsNullOrEmpty(Reference.Uid) || !string.IsNullOrEmpty(Reference.Gid);
    }

    /// <summary>Whether a definition is written into the container rather than bind-mounted from its <c>file</c>.</summary>
    public static bool IsInjected(FileObjectConfig def) => !def.External && (def.Environment is not null || def.Content is not null);

    /// <summary>
    /// The service's injected secrets and configs with their content resolved from the project's environment. Throws
    /// Compose's errors for an unset variable and for a read-only service (the copy needs a writable root filesystem).
    /// </summary>
    public static IReadOnlyList<Entry> For(ComposeProject project, ServiceConfig service)
    {
        var entries = new List<Entry>();
        Collect(project, service, project.Secrets, service.Secrets, "secret", ServiceMounts.SecretTarget, entries);
        Collect(project, service, project.Configs, service.Configs, "config", ServiceMounts.ConfigTarget, entries);
        return entries;
    }

    private static void Collect(ComposeProject project, ServiceConfig service, IReadOnlyDictionary<string, FileObjectConfig> defs,
        IReadOnlyList<ServiceFileReference> references, string kind, Func<ServiceFileReference, string> target, List<Entry> entries)
    {
        foreach (var r in references)
        {
            if (!defs.TryGetValue(r.Source, out var def) || !IsInjected(def)) continue;
            var content = def.Content;
            if (content is null && !project.Environment.TryGetValue(def.Environment!, out content))
                throw new ComposeException($"environment variable \"{def.Environment}\" required by {kind} \"{def.Name}\" is not set");
            // An empty value leaves nothing to write, and Compose then writes nothing.
            if (content.Length == 0) continue;
            if (service.ReadOnly)
                throw new ComposeException($"cannot create {kind} \"{def.Name}\" in read-only service {service.Name}: `file` is the sole supported option");
            entries.Add(new Entry(kind, def.Name, target(r), content, r));
        }
    }

    /// <summary>
    /// Compose's warnings for <c>uid</c>/<c>gid</c>/<c>mode</c> on a file-backed reference: a bind mount cannot change the
    /// host file's owner or mode, so they are ignored there (one warning per kind, as Compose words it).
    /// </summary>
    public static IEnumerable<string> IgnoredOptionWarnings(ComposeProject project, ServiceConfig service)
    {
        static bool Ignored(IReadOnlyDictionary<string, FileObjectConfig> defs, ServiceFileReference r) =>
            defs.TryGetValue(r.Source, out var def) && !def.External && !IsInjected(def)
            && (!string.IsNullOrEmpty(r.Uid) || !string.IsNullOrEmpty(r.Gid) || r.Mode is not null);
        if (service.Secrets.Any(r => Ignored(project.Secrets, r))) yield return "secrets `uid`, `gid` and `mode` are not supported, they will be ignored";
        if (service.Configs.Any(r => Ignored(project.Configs, r))) yield return "config `uid`, `gid` and `mode` are not supported, they will be ignored";
    }

    /// <summary>The tar Compose sends: one regular file named by the target (relative to /), with the reference's mode and ids.</summary>
    public static MemoryStream Tar(Entry entry)
    {
        var data = Encoding.UTF8.GetBytes(entry.Content);
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            var file = new PaxTarEntry(TarEntryType.RegularFile, entry.Target.TrimStart('/'))
            {
                Mode = (UnixFileMode)(entry.Reference.Mode ?? 0x124), // 0444
                Uid = Id(entry.Reference.Uid),
                Gid = Id(entry.Reference.Gid),
                ModificationTime = DateTimeOffset.UtcNow,
                DataStream = new MemoryStream(data),
            };
            writer.WriteEntry(file);
        }
        tar.Position = 0;
        return tar;
    }

    private static int Id(string? value)
    {
        if (string.IsNullOrEmpty(value)) return 0;
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new ComposeException($"strconv.Atoi: parsing \"{value}\": invalid syntax");
    }
}
