using Berth.Api.Models.Containers;
using Berth.Core.Errors;

namespace Berth.Services.Logs;

/// <summary>
/// The log drivers Berth offers: <c>json-file</c> (default) and <c>local</c> are the same file-backed log with rotation
/// (the monitor writes it, <see cref="ContainerLogReader"/> reads it); <c>none</c> keeps nothing and cannot be read back.
/// A container without a driver gets the daemon's default driver and options (berthd --log-driver/--log-opt).
/// </summary>
public static class LogDrivers
{
    public const string JsonFile = "json-file";
    public const string Local = "local";
    public const string None = "none";

    private static readonly string[] FileOptions = ["max-size", "max-file", "compress", "labels", "labels-regex", "env", "env-regex", "tag", "mode", "max-buffer-size"];

    /// <summary>Whether the driver keeps a log file (everything but none).</summary>
    public static bool Writes(string? driver) => driver != None;

    public static LogConfig Resolve(LogConfig? requested, DaemonOptions daemon)
    {
        var config = requested ?? new LogConfig();
        if (string.IsNullOrEmpty(config.Type))
        {
            config.Type = daemon.LogDriver;
            // As dockerd: the daemon's options apply only to containers that did not choose a driver themselves.
            if (config.Config is not { Count: > 0 } && daemon.LogOpts is { Count: > 0 } opts) config.Config = new Dictionary<string, string>(opts);
        }
        config.Config ??= [];
        Validate(config.Type, config.Config);
        return config;
    }

    public static void Validate(string driver, IReadOnlyDictionary<string, string>? options)
    {
        if (driver is not (JsonFile or Local or None)) throw new InvalidArgumentException($"logger: no log driver named '{driver}' is registered");
        foreach (var (key, value) in options ?? new Dictionary<string, string>())
        {
            if (driver == None) throw new InvalidArgumentException($"unknown log opt '{key}' for none log driver");
            if (!FileOptions.Contains(key)) throw new InvalidArgumentException($"unknown log opt '{key}' for {driver} log driver");
            if (key == "max-size" && value.Length > 0) Units.ParseBytes(value);
            if (key == "max-file" && (!int.TryParse(value, out var n) || n < 1)) throw new InvalidArgumentException("max-file cannot be less than 1");
            if (key == "compress" && !TryParseBool(value, out _))
            {
                var parse = $"strconv.ParseBool: parsing \"{value}\": invalid syntax";
                throw new InvalidArgumentException(driver == Local ? "invalid boolean value for compress: " + parse : parse);
            }
        }
        ValidateCompression(driver, options);
    }

    /// <summary>
    /// Compression applies to rotated files, so it needs more than one file. json-file compresses only when asked
    /// (Docker's words; Berth rotates by default, so an unset max-size is no error here); local compresses by default.
    /// </summary>
    private static void ValidateCompression(string driver, IReadOnlyDictionary<string, string>? options)
    {
        if (options is null || driver == None) return;
        var single = options.TryGetValue("max-file", out var f) && int.TryParse(f, out var n) && n == 1;
        if (!single) return;
        var asked = options.TryGetValue("compress", out var c) && TryParseBool(c, out var on) ? on : (bool?)null;
        if (driver == JsonFile && asked == true) throw new InvalidArgumentException("compress cannot be true when max-file is less than 2 or max-size is not set");
        if (driver == Local && asked != false) throw new InvalidArgumentException("compression cannot be enabled when max file count is 1");
    }

    /// <summary>Go's strconv.ParseBool, which Docker uses for log options.</summary>
    public static bool TryParseBool(string value, out bool result)
    {
        switch (value)
        {
            case "1" or "t" or "T" or "TRUE" or "true" or "True": result = true; return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False": result = false; return true;
            default: result = false; return false;
        }
    }

    /// <summary>moby's ErrReadLogsNotSupported, a 501 the docker CLI prints as is.</summary>
    public static void EnsureReadable(string? driver)
    {
        if (driver == None) throw new NotImplementedEngineException("configured logging driver does not support reading");
    }
}
