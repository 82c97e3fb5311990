using Berth.Compose;

namespace Berth.Tests.Compose;

public sealed class ConfigWriterTests : IDisposable
{
    private readonly ComposeTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ToYaml_NameFirst_ServicesSorted_LongForms()
    {
        var p = _dir.Text("""
            services:
              web:
                image: nginx:${TAG:-latest}
                ports: ["8080:80"]
                environment: [B=2, A=1]
                depends_on: [db]
              db:
                image: postgres
                volumes: [data:/var/lib/postgresql/data]
                healthcheck:
                  test: pg_isready
                  interval: 1m30s
            volumes:
              data:
            """);
        var yaml = ConfigWriter.ToYaml(p);
        var expected = """
            name: proj
            services:
              db:
                healthcheck:
                  test:
                    - CMD-SHELL
                    - pg_isready
                  interval: 1m30s
                image: postgres
                networks:
                  default: null
                volumes:
                  - type: volume
                    source: data
                    target: /var/lib/postgresql/data
                    volume: {}
              web:
                depends_on:
                  db:
                    condition: service_started
                    required: true
                environment:
                  A: "1"
                  B: "2"
                image: nginx:latest
                networks:
                  default: null
                ports:
                  - mode: ingress
                    target: 80
                    published: "8080"
                    protocol: tcp
            networks:
              default:
                name: proj_default
            volumes:
              data:
                name: proj_data

            """;
        Assert.Equal(expected.Replace("\r\n", "\n", StringComparison.Ordinal), yaml.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void ServiceHash_StableAndIgnoresScaleDependsOnBuildProfiles()
    {
        var a = _dir.Text("services:\n  s:\n    image: x\n    environment: {A: 1, B: 2}\n    scale: 1\n").Services["s"];
        var b = _dir.Text("services:\n  s:\n    environment: [B=2, A=1]\n    image: x\n    scale: 3\n    build: .\n    profiles: []\n    pull_policy: always\n    depends_on:\n      t:\n        condition: service_started\n        required: false\n").Services["s"];
        var c = _dir.Text("services:\n  s:\n    image: x\n    environment: {A: 1, B: 3}\n").Services["s"];
        Assert.Matches("^[0-9a-f]{64}$", ServiceHashing.ConfigHash(a));
        Assert.Equal(ServiceHashing.ConfigHash(a), ServiceHashing.ConfigHash(b));
        Assert.NotEqual(ServiceHashing.ConfigHash(a), ServiceHashing.ConfigHash(c));
        Assert.Equal(ServiceHashing.ConfigHash(a), ServiceHashing.ConfigHash(a with { Deploy = new Berth.Compose.Model.DeployConfig { Replicas = 4 } } with { Deploy = null }));
    }
}
