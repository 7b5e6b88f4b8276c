namespace Spillway.Simulator;

/// <summary>
/// <c>GET /models</c> answered with a body a test supplied (<see cref="SimulatedProvider.ModelListBody"/>): a real
/// recorded catalog for free-model discovery, or a broken one to see a refresh fail.
/// </summary>
internal static class RecordedModelList
{
    public static Task WriteAsync(HttpContext context, byte[] body) =>
        ChatCompletionsEndpoint.WriteReplyAsync(context, SimulatedReply.Json(StatusCodes.Status200OK, body));
}
