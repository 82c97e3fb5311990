namespace Berth.Builder.Execution;

/// <summary>Where progress goes: each <see cref="WriteAsync"/> is one <c>{"stream": …}</c> message, <see cref="AuxAsync"/> one <c>{"aux":{"ID": …}}</c>.</summary>
public interface IBuildOutput
{
    Task WriteAsync(string text, CancellationToken ct);

    Task AuxAsync(string imageId, CancellationToken ct);
}
