using System.Text.Json;

namespace Berth.Integration.Tests.Support;

/// <summary>
/// Removes what a test daemon made in the host's network stack: its user networks (and so their bridges) through the
/// API, then its default bridge and its iptables chains by name. Only this daemon's names are touched.
/// </summary>
public static class NetworkCleaner
{
    public static async Task RemoveUserNetworksAsync(DaemonFixture daemon, List<string> notes)
    {
        try
        {
            using var http = daemon.CreateApiClient(TimeSpan.FromSeconds(30));
            using var list = JsonDocument.Parse(await http.GetStringAsync("/networks"));
            foreach (var n in list.RootElement.EnumerateArray())
            {
                var name = n.GetProperty("Name").GetString();
                if (name is "bridge" or "host" or "none") continue;
                using var response = await http.DeleteAsync($"/networks/{n.GetProperty("Id").GetString()}");
                if (!response.IsSuccessStatusCode) notes.Add($"DELETE /networks/{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            notes.Add($"could not remove networks through the API: {ex.Message}");
        }
    }

    public static async Task RemoveDaemonBridgeAsync(string bridge, List<string> problems)
    {
        if (!Environment.IsPrivilegedProcess) return;
        string[][] jumps =
        [
            ["-t", "filter", "-D", "FORWARD", "-j", "BERTH-" + bridge],
            ["-t", "nat", "-D", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "BERTH-" + bridge],
            ["-t", "nat", "-D", "OUTPUT", "!", "-d", "127.0.0.0/8", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "BERTH-" + bridge],
            ["-t", "nat", "-D", "POSTROUTING", "-j", "BERTH-" + bridge + "-POST"],
        ];
        foreach (var jump in jumps)
        {
            for (var i = 0; i < 10 && (await ProcessRunner.RunAsync("iptables", ["-w", .. jump])).ExitCode == 0; i++) { }
        }
        foreach (var (table, chain) in new[] { ("filter", "BERTH-" + bridge), ("nat", "BERTH-" + bridge), ("nat", "BERTH-" + bridge + "-POST") })
        {
            await ProcessRunner.RunAsync("iptables", ["-w", "-t", table, "-F", chain]);
            await ProcessRunner.RunAsync("iptables", ["-w", "-t", table, "-X", chain]);
        }
        if (Directory.Exists("/sys/class/net/" + bridge))
        {
            var del = await ProcessRunner.RunAsync("ip", ["link", "del", bridge]);
            if (del.ExitCode != 0) problems.Add($"could not delete bridge {bridge}: {del.Stderr.Trim()}");
        }
    }

    /// <summary>The host's links whose names start with a prefix (veths and bridges a test may have leaked).</summary>
    public static IReadOnlyList<string> Links(string prefix) =>
        Directory.Exists("/sys/class/net") ? [.. Directory.GetDirectories("/sys/class/net").Select(Path.GetFileName).Where(n => n!.StartsWith(prefix, StringComparison.Ordinal))!] : [];
}
