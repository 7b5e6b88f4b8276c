namespace Spillway.Core.Chat;

/// <summary>Where an image's bytes come from: <see cref="ImageUrlSource"/> or <see cref="ImageDataSource"/>.</summary>
public abstract record ImageSource;
