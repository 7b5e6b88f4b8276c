namespace Spillway.Storage.Redis.Tests.Support;

/// <summary>
/// Waits for something another connection delivers (a pub/sub message, a reconnect) by asking again a bounded
/// number of times with short awaits in between: the condition decides, never the length of a sleep.
/// </summary>
public static class Eventually
{
    public static async Task<bool> TrueAsync(Func<bool> condition, int attempts = 1000)
    {
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(10);
        }

        return condition();
    }

    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, int attempts = 1000)
    {
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(10);
        }

        return await condition();
    }
}
