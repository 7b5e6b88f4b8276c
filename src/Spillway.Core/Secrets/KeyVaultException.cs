namespace Spillway.Core.Secrets;

/// <summary>
/// The key vault or its master key cannot be used. <see cref="Exception.Message"/> is one line meant for a terminal
/// (what is wrong and what to do); it names key ids, files and variables, never a key or a master key.
/// </summary>
public sealed class KeyVaultException : Exception
{
    public KeyVaultException(string message)
        : base(message)
    {
    }

    public KeyVaultException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
