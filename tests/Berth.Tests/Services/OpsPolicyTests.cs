using Berth.Api.Models.Containers;
using Berth.Core.Errors;
using Berth.Services;
using Berth.Services.Healthchecks;
using Berth.Services.Logs;

namespace Berth.Tests.Services;

/// <summary>Health check commands, log driver choice and validation.</summary>
public sealed class OpsPolicyTests
{
    [Fact]
    public void CommandOf_CmdShellRunsThroughSh() =>
        Assert.Equal(["/bin/sh", "-c", "curl -f localhost"], HealthMonitor.CommandOf(new HealthConfig { Test = ["CMD-SHELL", "curl -f localhost"] }));

    [Fact]
    public void CommandOf_CmdIsExecForm() =>
        Assert.Equal(["pg_isready", "-q"], HealthMonitor.CommandOf(new HealthConfig { Test = ["CMD", "pg_isready", "-q"] }));

    [Theory]
    [InlineData("NONE")]
    [InlineData("")]
    public void CommandOf_NoneOrEmpty_IsNoCheck(string first) =>
        Assert.Null(HealthMonitor.CommandOf(new HealthConfig { Test = first.Length == 0 ? [] : [first] }));

    [Fact]
    public void Resolve_NoDriver_TakesDaemonDefaultAndItsOptions()
    {
        var daemon = new DaemonOptions("/d", "/r", LogDriver: "local", LogOpts: new Dictionary<string, string> { ["max-size"] = "1m" });
        var config = LogDrivers.Resolve(null, daemon);
        Assert.Equal("local", config.Type);
        Assert.Equal("1m", config.Config!["max-size"]);
    }

    [Fact]
    public void Resolve_ChosenDriver_KeepsItsOwnOptions()
    {
        var daemon = new DaemonOptions("/d", "/r", LogDriver: "local", LogOpts: new Dictionary<string, string> { ["max-size"] = "1m" });
        var config = LogDrivers.Resolve(new LogConfig { Type = "json-file" }, daemon);
        Assert.Equal("json-file", config.Type);
        Assert.Empty(config.Config!);
    }

    [Fact]
    public void Validate_UnknownDriver_IsDockersMessage()
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => LogDrivers.Validate("splunk", null));
        Assert.Equal("logger: no log driver named 'splunk' is registered", ex.Message);
    }

    [Fact]
    public void Validate_UnknownOption_Rejected() =>
        Assert.Throws<InvalidArgumentException>(() => LogDrivers.Validate("json-file", new Dictionary<string, string> { ["bogus"] = "1" }));

    [Theory]
    [InlineData("json-file", "maybe", null, "strconv.ParseBool: parsing \"maybe\": invalid syntax")]
    [InlineData("local", "yes", null, "invalid boolean value for compress: strconv.ParseBool: parsing \"yes\": invalid syntax")]
    [InlineData("json-file", "true", "1", "compress cannot be true when max-file is less than 2 or max-size is not set")]
    [InlineData("local", null, "1", "compression cannot be enabled when max file count is 1")]
    [InlineData("local", "True", "1", "compression cannot be enabled when max file count is 1")]
    public void Validate_Compress_RejectedInDockersWords(string driver, string? compress, string? maxFile, string message)
    {
        var options = new Dictionary<string, string>();
        if (compress is not null) options["compress"] = compress;
        if (maxFile is not null) options["max-file"] = maxFile;
        var ex = Assert.Throws<InvalidArgumentException>(() => LogDrivers.Validate(driver, options));
        Assert.Equal(message, ex.Message);
    }

    [Theory]
    [InlineData("json-file", "true", "2")]
    [InlineData("json-file", "false", "1")]
    [InlineData("local", "0", "1")]
    [InlineData("local", "t", null)]
    public void Validate_Compress_AcceptedCombinations(string driver, string compress, string? maxFile)
    {
        var options = new Dictionary<string, string> { ["compress"] = compress };
        if (maxFile is not null) options["max-file"] = maxFile;
        LogDrivers.Validate(driver, options);
    }

    [Fact]
    public void EnsureReadable_None_IsNotImplemented()
    {
        var ex = Assert.Throws<NotImplementedEngineException>(() => LogDrivers.EnsureReadable("none"));
        Assert.Equal("configured logging driver does not support reading", ex.Message);
        LogDrivers.EnsureReadable("local");
    }
}
