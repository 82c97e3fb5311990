namespace Berth.Compose.Engine;

/// <summary>
/// The labels Docker Compose v2 puts on what it creates (docker/compose <c>pkg/api/labels.go</c>). Using the same keys and
/// values lets <c>docker compose</c> and <c>berth compose</c> find and manage each other's projects.
/// </summary>
public static class ComposeLabels
{
    public const string Project = "com.docker.compose.project";
    public const string Service = "com.docker.compose.service";
    public const string ConfigHash = "com.docker.compose.config-hash";
    public const string ContainerNumber = "com.docker.compose.container-number";
    public const string Volume = "com.docker.compose.volume";
    public const string Network = "com.docker.compose.network";
    public const string WorkingDir = "com.docker.compose.project.working_dir";
    public const string ConfigFiles = "com.docker.compose.project.config_files";
    public const string EnvironmentFile = "com.docker.compose.project.environment_file";
    public const string OneOff = "com.docker.compose.oneoff";
    public const string Slug = "com.docker.compose.slug";
    public const string Image = "com.docker.compose.image";
    public const string DependsOn = "com.docker.compose.depends_on";
    public const string Version = "com.docker.compose.version";
    public const string Replace = "com.docker.compose.replace";

    /// <summary>The Compose version we claim in <see cref="Version"/>: a v2 release, so v2 tools treat our objects as their own.</summary>
    public const string ComposeVersion = "2.36.0";
}
