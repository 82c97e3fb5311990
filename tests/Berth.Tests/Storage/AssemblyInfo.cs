// The code under test is Linux-only (CA1416). SupportedOSPlatform allows repeats, so other folders may declare it too.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
