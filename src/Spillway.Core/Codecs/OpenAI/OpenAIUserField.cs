using System.Security.Cryptography;
using System.Text;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>
/// Fits an end-user id into OpenAI's <c>user</c> field, which refuses more than 64 characters ("Invalid 'user': string
/// too long"). Claude Code's <c>metadata.user_id</c> is a JSON object of about 150 characters; a longer id is sent as
/// its SHA-256 in hex, exactly 64 characters, so it still names the same user on every request.
/// </summary>
internal static class OpenAIUserField
{
    public const int MaxLength = 64;

    public static string Fit(string user) =>
        user.Length <= MaxLength ? user : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(user)));
}
