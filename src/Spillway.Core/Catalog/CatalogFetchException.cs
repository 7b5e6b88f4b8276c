namespace Spillway.Core.Catalog;

/// <summary>A model list could not be read; the message says why in one line (status, connection, JSON).</summary>
public sealed class CatalogFetchException : Exception
{
    public CatalogFetchException()
    {
    }

    public CatalogFetchException(string message)
        : base(message)
    {
    }

    public CatalogFetchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
