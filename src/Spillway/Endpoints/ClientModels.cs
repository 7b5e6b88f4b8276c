using Spillway.Core.Chat;
using Spillway.Core.Configuration;

namespace Spillway.Endpoints;

/// <summary>A client's <c>models:</c> allowance: every alias or route a request names must be on it.</summary>
internal static class ClientModels
{
    /// <summary>The 403 for the first name the client may not use, or null when all are allowed.</summary>
    public static ChatError? Forbidden(ClientKeyConfig? client, string? model, IReadOnlyList<string> models)
    {
        if (client is null || client.AllowedModels.IsDefaultOrEmpty)
        {
            return null;
        }

        if (model is not null && !client.MayUse(model))
        {
            return Refuse(client, model, "model");
        }

        foreach (var name in models)
        {
            if (!client.MayUse(name))
            {
                return Refuse(client, name, "models");
            }
        }

        return null;
    }

    private static ChatError Refuse(ClientKeyConfig client, string name, string param) => new(
        403,
        ChatErrorKind.PermissionDenied,
        $"Client '{client.Id}' may not use '{name}'; it may use: {string.Join(", ", client.AllowedModels)}.")
    {
        Code = "model_not_allowed",
        Param = param,
    };
}
