namespace Berth.Cli.Commands;

/// <summary>Every command by name, plus docker's management-command spellings (<c>container ls</c>, <c>image rm</c>…).</summary>
internal static class CommandTable
{
    public static readonly IReadOnlyList<CommandInfo> All =
    [
        new("run", RunCommand.RunAsync, "run [OPTIONS] IMAGE [COMMAND] [ARG...]", "Create and run a new container from an image"),
        new("create", CreateCommand.RunAsync, "create [OPTIONS] IMAGE [COMMAND] [ARG...]", "Create a new container"),
        new("start", StartCommand.RunAsync, "start [OPTIONS] CONTAINER [CONTAINER...]", "Start one or more stopped containers"),
        new("stop", StopCommand.RunAsync, "stop [OPTIONS] CONTAINER [CONTAINER...]", "Stop one or more running containers"),
        new("restart", RestartCommand.RunAsync, "restart [OPTIONS] CONTAINER [CONTAINER...]", "Restart one or more containers"),
        new("kill", KillCommand.RunAsync, "kill [OPTIONS] CONTAINER [CONTAINER...]", "Kill one or more running containers"),
        new("rm", RmCommand.RunAsync, "rm [OPTIONS] CONTAINER [CONTAINER...]", "Remove one or more containers"),
        new("ps", PsCommand.RunAsync, "ps [OPTIONS]", "List containers"),
        new("logs", LogsCommand.RunAsync, "logs [OPTIONS] CONTAINER", "Fetch the logs of a container"),
        new("exec", ExecCommand.RunAsync, "exec [OPTIONS] CONTAINER COMMAND [ARG...]", "Execute a command in a running container"),
        new("inspect", InspectCommand.RunAsync, "inspect [OPTIONS] NAME|ID [NAME|ID...]", "Return low-level information on Docker objects"),
        new("top", TopCommand.RunAsync, "top CONTAINER [ps OPTIONS]", "Display the running processes of a container"),
        new("diff", DiffCommand.RunAsync, "diff CONTAINER", "Inspect changes to files or directories on a container's filesystem"),
        new("stats", StatsCommand.RunAsync, "stats [OPTIONS] [CONTAINER...]", "Display a live stream of container(s) resource usage statistics"),
        new("wait", WaitCommand.RunAsync, "wait CONTAINER [CONTAINER...]", "Block until one or more containers stop, then print their exit codes"),
        new("pause", PauseCommand.RunAsync, "pause CONTAINER [CONTAINER...]", "Pause all processes within one or more containers"),
        new("unpause", UnpauseCommand.RunAsync, "unpause CONTAINER [CONTAINER...]", "Unpause all processes within one or more containers"),
        new("rename", RenameCommand.RunAsync, "rename CONTAINER NEW_NAME", "Rename a container"),
        new("attach", AttachCommand.RunAsync, "attach [OPTIONS] CONTAINER", "Attach local standard input, output, and error streams to a running container"),
        new("update", UpdateCommand.RunAsync, "update [OPTIONS] CONTAINER [CONTAINER...]", "Update configuration of one or more containers"),
        new("export", ExportCommand.RunAsync, "export [OPTIONS] CONTAINER", "Export a container's filesystem as a tar archive"),
        new("events", EventsCommand.RunAsync, "events [OPTIONS]", "Get real time events from the server"),
        new("images", ImagesCommand.RunAsync, "images [OPTIONS] [REPOSITORY[:TAG]]", "List images"),
        new("import", ImportCommand.RunAsync, "import [OPTIONS] file|URL|- [REPOSITORY[:TAG]]", "Import the contents from a tarball to create a filesystem image"),
        new("tag", TagCommand.RunAsync, "tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]", "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE"),
        new("rmi", RmiCommand.RunAsync, "rmi [OPTIONS] IMAGE [IMAGE...]", "Remove one or more images"),
        new("build", BuildCommand.RunAsync, "build [OPTIONS] PATH", "Build an image from a Dockerfile"),
        new("pull", PullCommand.RunAsync, "pull [OPTIONS] NAME[:TAG|@DIGEST]", "Download an image from a registry"),
        new("push", PushCommand.RunAsync, "push [OPTIONS] NAME[:TAG]", "Upload an image to a registry"),
        new("search", SearchCommand.RunAsync, "search [OPTIONS] TERM", "Search Docker Hub for images"),
        new("login", LoginCommand.RunAsync, "login [OPTIONS] [SERVER]", "Authenticate to a registry"),
        new("logout", LogoutCommand.RunAsync, "logout [SERVER]", "Log out from a registry"),
        new("registry", RegistryCommand.RunAsync, "registry serve|garbage-collect --root DIR [OPTIONS]", "Run a registry server, or collect its garbage"),
        new("save", SaveCommand.RunAsync, "save [OPTIONS] IMAGE [IMAGE...]", "Save one or more images to a tar archive (streamed to STDOUT by default)"),
        new("load", LoadCommand.RunAsync, "load [OPTIONS]", "Load an image from a tar archive or STDIN"),
        new("commit", CommitCommand.RunAsync, "commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]", "Create a new image from a container's changes"),
        new("history", HistoryCommand.RunAsync, "history [OPTIONS] IMAGE", "Show the history of an image"),
        new("image prune", PruneCommands.ImagePruneAsync, "image prune [OPTIONS]", "Remove unused images"),
        new("container prune", PruneCommands.ContainerPruneAsync, "container prune [OPTIONS]", "Remove all stopped containers"),
        new("system", PruneCommands.SystemAsync, "system df|prune [OPTIONS]", "Manage Docker: disk usage, prune"),
        new("version", VersionCommand.RunAsync, "version [OPTIONS]", "Show the Docker version information"),
        new("volume", VolumeCommand.RunAsync, "volume COMMAND", "Manage volumes"),
        new("cp", CpCommand.RunAsync, "cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tcp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH", "Copy files/folders between a container and the local filesystem"),
        new("network", NetworkCommand.RunAsync, "network COMMAND", "Manage networks"),
        new("port", PortCommand.RunAsync, "port CONTAINER [PRIVATE_PORT[/PROTO]]", "List port mappings or a specific mapping for the container"),
        new("info", InfoCommand.RunAsync, "info [OPTIONS]", "Display system-wide information"),
        new("compose", Compose.ComposeCommand.RunAsync, "compose [OPTIONS] COMMAND", "Define and run multi-container applications"),
    ];

    private static readonly Dictionary<string, string> ContainerAliases = new(StringComparer.Ordinal)
    {
        ["ls"] = "ps", ["list"] = "ps", ["ps"] = "ps", ["remove"] = "rm", ["inspect"] = "inspect", ["prune"] = "container prune",
    };

    private static readonly Dictionary<string, string> ImageAliases = new(StringComparer.Ordinal)
    {
        ["ls"] = "images", ["list"] = "images", ["rm"] = "rmi", ["remove"] = "rmi", ["inspect"] = "inspect", ["prune"] = "image prune", ["build"] = "build",
    };

    /// <summary>Resolves <c>container ls</c>/<c>image rm</c> style invocations; returns the command and its arguments.</summary>
    public static (CommandInfo? Command, string[] Args, string? Type) Resolve(string[] args)
    {
        if (args.Length == 0) return (null, args, null);
        if (args[0] == "container" && args.Length > 1 && args[1] == "cp") return (Find("cp"), args[2..], null);
        if (args[0] is "container" or "image" && args.Length > 1)
        {
            var aliases = args[0] == "container" ? ContainerAliases : ImageAliases;
            var sub = aliases.TryGetValue(args[1], out var a) ? a : args[1];
            var found = Find(sub);
            var type = sub == "inspect" ? args[0] : null;
            return (found, args[2..], type);
        }
        return (Find(args[0]), args[1..], null);
    }

    private static CommandInfo? Find(string name) => All.FirstOrDefault(c => c.Name == name);
}
