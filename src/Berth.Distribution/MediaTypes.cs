namespace Berth.Distribution;

/// <summary>The manifest, config and layer media types of Docker schema2 and the OCI image spec.</summary>
public static class MediaTypes
{
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public const string DockerForeignLayerGzip = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar";
    public const string OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string OciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";

    /// <summary>What a pull asks for, in the order Docker lists them.</summary>
    public static readonly string[] ManifestAccept = [DockerManifest, DockerManifestList, OciManifest, OciIndex];

    public static bool IsIndex(string? mediaType) => mediaType is DockerManifestList or OciIndex;

    public static bool IsManifest(string? mediaType) => mediaType is DockerManifest or OciManifest;
}
