// The test assembly calls linux-only Berth code; AllowMultiple, so other areas may declare it too.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
