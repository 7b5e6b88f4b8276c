namespace Spillway.Tests.Support;

/// <summary>Reads a whole SSE response into its data payloads, for assertions.</summary>
internal static class Sse
{
    public static async Task<List<string>> DataOfAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var events = new List<string>();
        foreach (var block in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var data = string.Join("\n", block.Split('\n')
                .Where(line => line.StartsWith("data:", StringComparison.Ordinal))
                .Select(line => line[5..].TrimStart()));
            if (data.Length > 0)
            {
                events.Add(data);
            }
        }

        return events;
    }
}
