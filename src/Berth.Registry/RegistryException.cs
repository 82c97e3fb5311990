namespace Berth.Registry;

/// <summary>A Distribution-spec error: HTTP status, error code (<c>BLOB_UNKNOWN</c>…) and message, sent as <c>{"errors":[…]}</c>.</summary>
internal sealed class RegistryException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;

    public static RegistryException BlobUnknown() => new(404, "BLOB_UNKNOWN", "blob unknown to registry");
    public static RegistryException ManifestUnknown() => new(404, "MANIFEST_UNKNOWN", "manifest unknown");
    public static RegistryException NameUnknown() => new(404, "NAME_UNKNOWN", "repository name not known to registry");
    public static RegistryException NameInvalid() => new(400, "NAME_INVALID", "invalid repository name");
    public static RegistryException DigestInvalid(string detail = "provided digest did not match uploaded content") => new(400, "DIGEST_INVALID", detail);
    public static RegistryException ManifestInvalid(string detail) => new(400, "MANIFEST_INVALID", "manifest invalid: " + detail);
    public static RegistryException ManifestBlobUnknown() => new(400, "MANIFEST_BLOB_UNKNOWN", "blob unknown to registry");
    public static RegistryException UploadUnknown() => new(404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");
    public static RegistryException Unsupported() => new(405, "UNSUPPORTED", "The operation is unsupported.");
    public static RegistryException Unauthorized() => new(401, "UNAUTHORIZED", "authentication required");
    public static RegistryException Denied() => new(403, "DENIED", "requested access to the resource is denied");
}
