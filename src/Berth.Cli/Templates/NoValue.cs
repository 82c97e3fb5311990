namespace Berth.Cli.Templates;

/// <summary>Go's invalid reflect.Value: a missing map key. Prints as <c>&lt;no value&gt;</c>.</summary>
internal sealed class NoValue
{
    public static readonly NoValue Instance = new();

    private NoValue()
    {
    }

    public override string ToString() => "<no value>";
}
