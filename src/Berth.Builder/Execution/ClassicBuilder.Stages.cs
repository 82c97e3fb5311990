using System.Runtime.ExceptionServices;
using Berth.Builder.Dockerfile;

namespace Berth.Builder.Execution;

public sealed partial class ClassicBuilder
{
    /// <summary>
    /// Runs the needed stages, each as soon as the stages it builds on or copies from are done, at most one per core at a time.
    /// Step numbers are fixed up front (as in a sequential build) and <see cref="OrderedOutput"/> prints the stages in order,
    /// so the log, the images and the cache entries are those of a sequential build. The first failure cancels the rest.
    /// </summary>
    private async Task<StageState?> RunNeededStagesAsync(List<int> needed, BuildArgs buildArgs, int firstStep, int total, CancellationToken ct)
    {
        if (needed.Count == 0) return null;
        var metaEnv = MetaEnv(buildArgs);
        var ordered = new OrderedOutput(_progress, _out, needed.Count);
        foreach (var i in needed) _stageResults[i] = new TaskCompletionSource<BuildImage>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var slots = new SemaphoreSlim(Math.Max(1, Environment.ProcessorCount));
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sync = new Lock();
        Exception? first = null;
        var states = new StageState[needed.Count];
        var tasks = new Task[needed.Count];
        var step = firstStep;
        for (var slot = 0; slot < needed.Count; slot++)
        {
            var (index, start, mySlot) = (needed[slot], step, slot);
            step += 1 + _doc.Stages[index].Commands.Count;
            var deps = StageGraph.Dependencies(_doc, index, metaEnv).Where(_stageResults.ContainsKey).Select(d => _stageResults[d].Task).ToList();
            tasks[slot] = Task.Run(async () =>
            {
                var token = failed.Token;
                try
                {
                    await Task.WhenAll(deps).WaitAsync(token);
                    await slots.WaitAsync(token);
                    try
                    {
                        BuildArgs args;
                        lock (sync) args = buildArgs.CloneForStage();
                        var state = new StageState(args, new ShellLex(_doc.EscapeToken)) { StageName = _doc.Stages[index].Name, StageIndex = index, Out = ordered.For(mySlot) };
                        states[mySlot] = state;
                        await BuildStageAsync(state, index, buildArgs, start, total, token);
                        lock (sync) buildArgs.MergeReferenced(state.Args);
                        _stageResults[index].SetResult(state.Image);
                    }
                    finally
                    {
                        slots.Release();
                    }
                    await ordered.CompleteAsync(mySlot, token);
                }
                catch (Exception ex)
                {
                    var own = false;
                    lock (sync)
                    {
                        if (first is null && !failed.IsCancellationRequested)
                        {
                            first = ex;
                            own = true;
                        }
                    }
                    if (own)
                    {
                        await failed.CancelAsync();
                        await ordered.FlushUpToAsync(mySlot, CancellationToken.None);
                    }
                    _stageResults[index].TrySetException(ex);
                    _ = _stageResults[index].Task.Exception;   // observed here: dependents see it through their own wait
                    throw;
                }
            }, CancellationToken.None);
        }
        try
        {
            await Task.WhenAll(tasks);
        }
        catch when (first is not null)
        {
            ExceptionDispatchInfo.Throw(first);
        }
        return states[^1];
    }

    private async Task BuildStageAsync(StageState state, int index, BuildArgs buildArgs, int step, int total, CancellationToken ct)
    {
        var stage = _doc.Stages[index];
        await StepAsync(state.Out, step++, total, stage.Code, ct);
        await InitializeStageAsync(state, stage, buildArgs, ct);
        await state.Out.WriteAsync($" ---> {Short(state.ImageId)}\n", ct);
        foreach (var cmd in stage.Commands)
        {
            ct.ThrowIfCancellationRequested();
            await StepAsync(state.Out, step++, total, cmd.Code, ct);
            await DispatchAsync(state, cmd, ct);
            await state.Out.WriteAsync($" ---> {Short(state.ImageId)}\n", ct);
        }
        if (state.ImageId.Length > 0) await state.Out.AuxAsync(state.ImageId, ct);
    }
}
