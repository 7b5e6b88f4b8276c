namespace Spillway.Storage.Redis;

/// <summary>What another instance changed in the stored configuration: its readers reload that part at once.</summary>
public enum StoredChange
{
    /// <summary>A stored client (virtual key) was added, changed or removed.</summary>
    Clients,

    /// <summary>A stored provider key was added, replaced or removed.</summary>
    Keys,
}
