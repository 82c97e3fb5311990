using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Berth.Builder.Execution;
using Berth.Services.Containers;
using Berth.Services.Images;
using Berth.Storage;

namespace Berth.Services.Build;

/// <summary>
/// A RUN step's container: attached before start (so no output is lost), run to exit, its upper dir committed without the mount
/// points made for its <c>RUN --mount</c> targets (<paramref name="mountTargets"/>).
/// </summary>
internal sealed class BuildContainer(ContainerService containers, LayerStore layers, ImageCommitter committer, string id,
    IReadOnlyList<string> mountTargets) : IBuildContainer
{
    public string Id => id;

    public async Task<int> RunAsync(Func<int, ReadOnlyMemory<byte>, Task> output, CancellationToken ct)
    {
        var options = new AttachOptions(false, true, true, null);
        var container = containers.PrepareAttach(id, options);
        var pipe = new Pipe();
        var writeSide = pipe.Writer.AsStream();
        var attach = containers.AttachAsync(container, writeSide, () => pipe.Writer.Complete(), options, ct);
        var pump = PumpAsync(pipe.Reader, output, ct);
        try
        {
            await containers.StartAsync(id, ct);
        }
        catch
        {
            await pipe.Writer.CompleteAsync();
            throw;
        }
        await attach;
        await pipe.Writer.CompleteAsync();
        await pump;
        var result = await containers.WaitAsync(id, null, ct);
        return (int)result.StatusCode;
    }

    /// <summary>Splits the stdcopy frames of the attach stream (8-byte header per chunk).</summary>
    private static async Task PumpAsync(PipeReader reader, Func<int, ReadOnlyMemory<byte>, Task> output, CancellationToken ct)
    {
        var header = new byte[8];
        while (true)
        {
            var read = await reader.ReadAsync(ct);
            var buffer = read.Buffer;
            while (buffer.Length >= 8)
            {
                buffer.Slice(0, 8).CopyTo(header);
                var size = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
                if (buffer.Length < 8 + size) break;
                var payload = buffer.Slice(8, size).ToArray();
                await output(header[0], payload);
                buffer = buffer.Slice(8 + size);
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (read.IsCompleted) break;
        }
        await reader.CompleteAsync();
    }

    public async Task<BuildLayerDiff?> CommitAsync(CancellationToken ct)
    {
        var doc = containers.Get(id).Doc;
        var lowers = doc.TopChainId is null ? [] : layers.LowerDirs(doc.TopChainId);
        if (mountTargets.Count > 0) MountStubCleaner.Remove(doc.UpperDir, lowers, mountTargets);
        var committed = await committer.CommitLayerAsync(doc.UpperDir, lowers, doc.TopChainId, ct);
        return committed is null ? null : new BuildLayerDiff(committed.Layer.DiffId, committed.BlobDigest, committed.Layer.Size);
    }

    public Task RemoveAsync() => containers.RemoveAsync(id, force: true, CancellationToken.None);
}
