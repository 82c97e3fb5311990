// The API server is linux-only (unix sockets, chown). AllowMultiple: harmless if the project declares it elsewhere too.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
