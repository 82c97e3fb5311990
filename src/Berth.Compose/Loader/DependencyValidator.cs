using Berth.Compose.Model;

namespace Berth.Compose.Loader;

/// <summary>depends_on checks on the active services: disabled dependencies and cycles (compose-go graph package wording).
/// Optional dependencies (required: false) on missing or disabled services are dropped.</summary>
internal static class DependencyValidator
{
    public static ComposeProject Validate(ComposeProject project)
    {
        var services = new SortedDictionary<string, ServiceConfig>(StringComparer.Ordinal);
        foreach (var (name, svc) in project.Services)
        {
            var deps = new SortedDictionary<string, ServiceDependency>(StringComparer.Ordinal);
            foreach (var (dep, d) in svc.DependsOn)
            {
                if (project.Services.ContainsKey(dep)) { deps[dep] = d; continue; }
                if (!d.Required) continue;
                if (project.DisabledServices.TryGetValue(dep, out var ds))
                    throw new ComposeException($"service \"{dep}\" is required by \"{name}\" but is disabled. Can be enabled by profiles [{string.Join(' ', ds.Profiles)}]");
                throw new ComposeException($"service \"{name}\" depends on undefined service \"{dep}\": invalid compose project");
            }
            services[name] = deps.Count == svc.DependsOn.Count ? svc : svc with { DependsOn = deps };
        }
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new List<string>();
        foreach (var name in services.Keys) Visit(name, services, state, stack);
        return project with { Services = services };
    }

    private static void Visit(string name, SortedDictionary<string, ServiceConfig> services, Dictionary<string, int> state, List<string> stack)
    {
        if (state.TryGetValue(name, out var st))
        {
            if (st == 2) return;
            var from = stack.IndexOf(name);
            throw new ComposeException($"dependency cycle detected: {string.Join(" -> ", stack.Skip(from))} -> {name}");
        }
        state[name] = 1;
        stack.Add(name);
        foreach (var dep in services[name].DependsOn.Keys) Visit(dep, services, state, stack);
        stack.RemoveAt(stack.Count - 1);
        state[name] = 2;
    }
}
