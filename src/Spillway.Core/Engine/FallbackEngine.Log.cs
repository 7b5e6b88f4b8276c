using Microsoft.Extensions.Logging;

namespace Spillway.Core.Engine;

public sealed partial class FallbackEngine
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Key {KeyId} on {Route} cooled ({Outcome}) until {Until:O}")]
        public static partial void KeyCooled(ILogger logger, string keyId, string route, string outcome, DateTimeOffset until);

        [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Dropped a malformed event from {Route}")]
        public static partial void MalformedEvent(ILogger logger, string route);
    }
}
