namespace Spillway.Core.Secrets;

/// <summary>The master key in force and where it came from.</summary>
/// <param name="Origin">For messages: <c>SPILLWAY_MASTER_KEY</c> or the key file's path.</param>
/// <param name="FromEnvironment">True when it came from <c>SPILLWAY_MASTER_KEY</c>.</param>
/// <param name="Created">True when the key file was created just now.</param>
public sealed record ResolvedMasterKey(MasterKey Key, string Origin, bool FromEnvironment, bool Created) : IDisposable
{
    /// <summary>"the master key in X", for messages.</summary>
    public string Description => "master key in " + Origin;

    public void Dispose() => Key.Dispose();
}
