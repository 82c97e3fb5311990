using System.Text;
using System.Text.Json;
using Berth.Cli.Commands;
using Berth.Cli.Parsing;

namespace Berth.Tests.Cli.Commands;

public sealed class BuildSecretsTests
{
    [Fact]
    public void Encode_FileAndEnv_Base64JsonOfBase64Values()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "from-file");
            var header = BuildSecrets.Encode([$"id=a,src={file}", "id=b,env=VAR", "id=VAR2"], n => n switch { "VAR" => "from-env", "VAR2" => "bare", _ => null });
            using var doc = JsonDocument.Parse(Convert.FromBase64String(header!));
            string Value(string id) => Encoding.UTF8.GetString(Convert.FromBase64String(doc.RootElement.GetProperty(id).GetString()!));
            Assert.Equal(("from-file", "from-env", "bare"), (Value("a"), Value("b"), Value("VAR2")));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Encode_None_IsNull() => Assert.Null(BuildSecrets.Encode([], _ => null));

    [Theory]
    [InlineData("id=x,env=UNSET", "environment variable UNSET is not set")]
    [InlineData("id=x,bogus=1", "unexpected key 'bogus'")]
    [InlineData("id=x,src=/nonexistent/berth-secret", "failed to read secret x")]
    public void Encode_Invalid_Throws(string spec, string message) =>
        Assert.Contains(message, Assert.Throws<UsageException>(() => BuildSecrets.Encode([spec], _ => null)).Message, StringComparison.Ordinal);
}
