namespace Spillway.TestSupport;

/// <summary>Request bodies shaped like what real clients send, shared by the request tests.</summary>
public static class RequestSamples
{
    /// <summary>An OpenAI client's multi-turn tool loop: system, image (data URI and URL), two tool calls, stops.</summary>
    public const string OpenAIToolLoop = """
        {"model":"gpt-4o","messages":[
          {"role":"system","content":"You are a weather bot."},
          {"role":"user","content":[{"type":"text","text":"What's the weather where this photo was taken?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
          {"role":"assistant","content":null,"tool_calls":[
            {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"location\":\"Paris\"}"}},
            {"id":"call_2","type":"function","function":{"name":"get_time","arguments":"{\"tz\":\"Europe/Paris\"}"}}]},
          {"role":"tool","tool_call_id":"call_1","content":"18°C, cloudy"},
          {"role":"tool","tool_call_id":"call_2","content":"14:05"},
          {"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}},{"type":"text","text":"And here?"}]}],
        "tools":[
          {"type":"function","function":{"name":"get_weather","description":"Current weather","parameters":{"type":"object","properties":{"location":{"type":"string"},"station":{"type":"integer","maximum":12345678901234567890}},"required":["location"]}}},
          {"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{"tz":{"type":"string"}}}}}],
        "tool_choice":"required","parallel_tool_calls":false,"stop":["END","STOP"],"max_completion_tokens":512,
        "temperature":0.2,"stream":true,"stream_options":{"include_usage":true},"user":"user-42"}
        """;

    /// <summary>An Anthropic client's multi-turn tool loop: system, base64 image, text plus tool_use, result plus text.</summary>
    public const string AnthropicToolLoop = """
        {"model":"claude-sonnet-4-5","max_tokens":1024,"system":"You are a weather bot.","stop_sequences":["END"],
         "messages":[
          {"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQ"}},{"type":"text","text":"Weather here?"}]},
          {"role":"assistant","content":[{"type":"text","text":"Let me check."},{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"location":"Paris"}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"18°C"}]},{"type":"text","text":"Thanks, and tomorrow?"}]}],
         "tools":[{"name":"get_weather","description":"Current weather","input_schema":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}],
         "tool_choice":{"type":"tool","name":"get_weather"},"temperature":0.5,"top_k":40}
        """;

    /// <summary>What Claude Code sends: cached system blocks, a deferred tool, thinking, context management.</summary>
    public const string ClaudeCode = """
        {"model":"claude-sonnet-4-5-20250929","max_tokens":32000,
         "system":[{"type":"text","text":"You are Claude Code, Anthropic's official CLI for Claude.","cache_control":{"type":"ephemeral"}},
                   {"type":"text","text":"Working directory: /repo","cache_control":{"type":"ephemeral"}}],
         "messages":[{"role":"user","content":[{"type":"text","text":"List the files.","cache_control":{"type":"ephemeral"}}]}],
         "tools":[{"name":"Bash","description":"Run a command","input_schema":{"type":"object","properties":{"command":{"type":"string"}},"required":["command"],"additionalProperties":false,"$schema":"http://json-schema.org/draft-07/schema#"}},
                  {"name":"WebFetch","description":"Fetch a URL","input_schema":{"type":"object","properties":{"url":{"type":"string","format":"uri"}},"required":["url"]},"defer_loading":true}],
         "metadata":{"user_id":"{\"device_id\":\"abc\",\"session_id\":\"123\"}"},
         "thinking":{"type":"enabled","budget_tokens":31999},
         "context_management":{"edits":[{"type":"clear_thinking_20251015","keep":"all"}]},
         "stream":true}
        """;

    public const string ClaudeCodeBeta = "claude-code-20250219,context-management-2025-06-27,interleaved-thinking-2025-05-14";
}
