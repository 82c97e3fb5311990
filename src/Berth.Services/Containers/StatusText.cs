using Berth.Api.Models.Containers;

namespace Berth.Services.Containers;

/// <summary>The human <c>Status</c> column of <c>docker ps</c> (go-units HumanDuration wording).</summary>
public static class StatusText
{
    public static string Of(ContainerState s, DateTimeOffset now)
    {
        switch (s.Status)
        {
            case "running" or "paused":
                var up = "Up " + HumanDuration(now - (Timestamps.Parse(s.StartedAt) ?? now));
                if (s.Paused) return up + " (Paused)";
                return s.Health is { } h ? up + (h.Status == "starting" ? " (health: starting)" : $" ({h.Status})") : up;
            case "restarting":
                return $"Restarting ({s.ExitCode}) {HumanDuration(now - (Timestamps.Parse(s.FinishedAt) ?? now))} ago";
            case "exited":
                var finished = Timestamps.Parse(s.FinishedAt);
                return finished is null ? "Exited" : $"Exited ({s.ExitCode}) {HumanDuration(now - finished.Value)} ago";
            case "removing": return "Removal In Progress";
            case "dead": return "Dead";
            default: return "Created";
        }
    }

    public static string HumanDuration(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < 1) return "Less than a second";
        if (seconds == 1) return "1 second";
        if (seconds < 60) return $"{seconds} seconds";
        var minutes = (long)d.TotalMinutes;
        if (minutes == 1) return "About a minute";
        if (minutes < 60) return $"{minutes} minutes";
        var hours = (long)Math.Round(d.TotalHours);
        if (hours == 1) return "About an hour";
        if (hours < 48) return $"{hours} hours";
        if (hours < 24 * 7 * 2) return $"{hours / 24} days";
        if (hours < 24 * 30 * 2) return $"{hours / 24 / 7} weeks";
        if (hours < 24 * 365 * 2) return $"{hours / 24 / 30} months";
        return $"{hours / 24 / 365} years";
    }
}
