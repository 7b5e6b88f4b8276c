using System.Text.Json;

namespace Spillway.Simulator;

/// <summary>
/// Makes tool-call arguments that satisfy the tool's JSON Schema (<see cref="SchemaInstance"/>), always a JSON
/// object, so a caller that deserialises the arguments into its own type does not fail on the simulator's answer.
/// </summary>
internal static class ToolArguments
{
    public static string FromSchema(JsonElement schema) => SchemaInstance.GenerateObject(schema);
}
