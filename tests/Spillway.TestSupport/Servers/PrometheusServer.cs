using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Spillway.TestSupport.Servers;

/// <summary>
/// A real Prometheus server (Debian's <c>prometheus</c> package) on a free loopback port with a throwaway folder
/// (its configuration and its TSDB), scraping one target every second. Killed and its folder removed on dispose.
/// Starting takes a second or two. <see cref="QueryAsync"/> asks an instant query;
/// <see cref="WaitForValueAsync"/> polls one until its value is accepted (scrapes happen on Prometheus' own clock, so
/// a test waits for them with a bounded poll).
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private const string Binary = "/usr/bin/prometheus";
    private const string JobName = "target";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollDelay = TimeSpan.FromMilliseconds(200);

    private readonly TempDirectory _folder = new();
    private readonly RecentOutput _output = new();
    private readonly HttpClient _http;
    private Process? _process;

    private PrometheusServer(int port)
    {
        Port = port;
        BaseAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));
        _http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }

    /// <summary>The server's own address, <c>http://127.0.0.1:port/</c> (its web UI and HTTP API).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The throwaway folder (configuration and TSDB); gone after dispose.</summary>
    public string Folder => _folder.Path;

    /// <summary>
    /// Starts a server that scrapes <paramref name="target"/> (its host and port; the path is
    /// <paramref name="metricsPath"/>) every second, with <c>Authorization: Bearer <paramref name="bearerToken"/></c>
    /// when one is given, and returns once it is ready. Fails with what to install when prometheus is missing (CI
    /// installs it).
    /// </summary>
    public static async Task<PrometheusServer> StartNewAsync(Uri target, string metricsPath = "/metrics", string? bearerToken = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentException.ThrowIfNullOrEmpty(metricsPath);
        if (!target.IsAbsoluteUri || target.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"The scrape target must be an absolute http(s) address, not '{target}'.", nameof(target));
        }

        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException(
                "prometheus is missing: install Debian's prometheus package (apt-get install -y prometheus); .ci/run does.");
        }

        var server = new PrometheusServer(LoopbackPort.Free());
        try
        {
            await server.StartAsync(Configuration(target, metricsPath, bearerToken));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs an instant query (<c>/api/v1/query</c>, at the current time) and returns the value of a scalar or of the
    /// single sample of a vector; null when the vector is empty (nothing scraped yet, or no such series). Throws, with
    /// Prometheus' answer, when the query fails or gives something else (several samples: aggregate them in the
    /// query, e.g. with <c>sum(...)</c>).
    /// </summary>
    public async Task<double?> QueryAsync(string promql)
    {
        ArgumentException.ThrowIfNullOrEmpty(promql);
        using var response = await _http.GetAsync(new Uri("api/v1/query?query=" + Uri.EscapeDataString(promql), UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        using var document = ParseAnswer(body, $"query '{promql}'");
        var data = document.RootElement.GetProperty("data");
        var resultType = data.TryGetProperty("resultType", out var type) ? type.GetString() : null;
        var result = data.TryGetProperty("result", out var r) ? r : default;
        switch (resultType)
        {
            case "scalar" when result.ValueKind == JsonValueKind.Array:
                return SampleValue(result, promql, body);
            case "vector" when result.ValueKind == JsonValueKind.Array:
                return result.GetArrayLength() switch
                {
                    0 => null,
                    1 when result[0].TryGetProperty("value", out var value) => SampleValue(value, promql, body),
                    _ => throw new InvalidOperationException(
                        $"Prometheus query '{promql}' gave {result.GetArrayLength()} samples, expected one (aggregate, e.g. sum(...)): {body}"),
                };
            default:
                throw new InvalidOperationException($"Prometheus query '{promql}' gave neither a scalar nor a vector: {body}");
        }
    }

    /// <summary>
    /// Polls <paramref name="promql"/> (every 200 ms, until <paramref name="timeout"/>) until it has a value that
    /// <paramref name="accept"/> takes, and returns that value. On timeout throws with the last value and the scrape
    /// target's health and last error, as Prometheus reports them.
    /// </summary>
    public async Task<double> WaitForValueAsync(string promql, Func<double, bool> accept, TimeSpan timeout)
    {
        ArgumentException.ThrowIfNullOrEmpty(promql);
        ArgumentNullException.ThrowIfNull(accept);
        var clock = Stopwatch.StartNew();
        double? last = null;
        while (true)
        {
            if (_process is { HasExited: true } process)
            {
                throw new InvalidOperationException($"prometheus exited with code {process.ExitCode}: {_output}");
            }

            last = await QueryAsync(promql);
            if (last is { } value && accept(value))
            {
                return value;
            }

            if (clock.Elapsed >= timeout)
            {
                break;
            }

            await Task.Delay(PollDelay);
        }

        var shown = last is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "no sample";
        throw new TimeoutException(
            $"Prometheus query '{promql}' had no accepted value within {timeout.TotalSeconds:0.#} s (last: {shown}). "
            + $"Scrape targets: {await TargetsAsync()}");
    }

    /// <summary>The scrape targets as Prometheus reports them (<c>/api/v1/targets</c>): URL, health and last error.</summary>
    public async Task<string> TargetsAsync()
    {
        try
        {
            using var response = await _http.GetAsync(new Uri("api/v1/targets", UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            using var document = ParseAnswer(body, "targets");
            var described = new StringBuilder();
            foreach (var target in document.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray())
            {
                described.Append(CultureInfo.InvariantCulture,
                    $"[{Text(target, "scrapeUrl")}: health {Text(target, "health")}, last scrape {Text(target, "lastScrape")}, "
                    + $"last error '{Text(target, "lastError")}'] ");
            }

            return described.Length == 0 ? "none active" : described.ToString().TrimEnd();
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or KeyNotFoundException or JsonException)
        {
            return $"unavailable ({e.Message})";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                await process.WaitForExitAsync();
            }
            finally
            {
                process.Dispose();
            }
        }

        _http.Dispose();
        _folder.Dispose();
    }

    private async Task StartAsync(string configuration)
    {
        var configFile = Path.Combine(_folder.Path, "prometheus.yml");
        await File.WriteAllTextAsync(configFile, configuration);
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _folder.Path,
        };
        foreach (var argument in new[]
                 {
                     "--config.file=" + configFile,
                     "--storage.tsdb.path=" + Path.Combine(_folder.Path, "data"),
                     string.Create(CultureInfo.InvariantCulture, $"--web.listen-address=127.0.0.1:{Port}"),
                 })
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("prometheus did not start");
        _process.OutputDataReceived += (_, e) => _output.Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => _output.Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        // Bounded polling of the readiness endpoint (503 while the TSDB opens): no fixed sleep decides anything.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited at start with code {_process.ExitCode}: {_output}");
            }

            if (await ReadyAsync())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"prometheus was not ready on port {Port} within {StartTimeout.TotalSeconds:0} s: {_output}");
    }

    private async Task<bool> ReadyAsync()
    {
        try
        {
            using var response = await _http.GetAsync(new Uri("-/ready", UriKind.Relative));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static string Configuration(Uri target, string metricsPath, string? bearerToken)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine("global:");
        yaml.AppendLine("  scrape_interval: 1s");
        yaml.AppendLine("  scrape_timeout: 1s");
        yaml.AppendLine("  evaluation_interval: 1s");
        yaml.AppendLine("scrape_configs:");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"  - job_name: {Quoted(JobName)}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"    scheme: {Quoted(target.Scheme)}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"    metrics_path: {Quoted(metricsPath)}");
        if (bearerToken is not null)
        {
            yaml.AppendLine("    authorization:");
            yaml.AppendLine("      type: Bearer");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"      credentials: {Quoted(bearerToken)}");
        }

        yaml.AppendLine("    static_configs:");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"      - targets: [{Quoted(target.Authority)}]");
        return yaml.ToString();
    }

    /// <summary>A YAML single-quoted scalar (a quote is doubled; no escapes otherwise).</summary>
    private static string Quoted(string value)
    {
        if (value.Any(char.IsControl))
        {
            throw new ArgumentException("A scrape setting must not contain control characters.", nameof(value));
        }

        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    /// <summary>Prometheus' API envelope; throws with the whole answer unless it says success with data.</summary>
    private static JsonDocument ParseAnswer(string body, string what)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"Prometheus answered the {what} with something other than JSON: {body}", e);
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("status", out var status) || status.GetString() != "success"
            || !root.TryGetProperty("data", out _))
        {
            document.Dispose();
            throw new InvalidOperationException($"Prometheus refused the {what}: {body}");
        }

        return document;
    }

    /// <summary>A sample <c>[timestamp, "value"]</c>: Prometheus writes the value as a string (NaN, +Inf, -Inf too).</summary>
    private static double SampleValue(JsonElement sample, string promql, string body)
    {
        if (sample.ValueKind == JsonValueKind.Array && sample.GetArrayLength() == 2
            && sample[1].ValueKind == JsonValueKind.String)
        {
            var text = sample[1].GetString();
            switch (text)
            {
                case "NaN":
                    return double.NaN;
                case "+Inf":
                    return double.PositiveInfinity;
                case "-Inf":
                    return double.NegativeInfinity;
                default:
                    if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                    {
                        return value;
                    }

                    break;
            }
        }

        throw new InvalidOperationException($"Prometheus query '{promql}' gave a sample that is not [time, \"value\"]: {body}");
    }

    private static string Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) ? value.ToString() : "";
}
