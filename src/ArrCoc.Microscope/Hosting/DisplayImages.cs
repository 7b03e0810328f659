using System.Collections.Concurrent;
using ArrCoc.Engine.Service;

namespace ArrCoc.Microscope.Hosting;

/// <summary>
/// The images the open sessions show, served at /images/{id} so that views draw maps over them by URL (the browser
/// fetches each image once) instead of sending pixels through the circuit. Sessions add and remove their own.
/// </summary>
public sealed class DisplayImages
{
    readonly ConcurrentDictionary<Guid, byte[]> images = new();

    public static string Url(ImageHandle image) => $"images/{image.Id:N}.png";

    public void Add(ImageHandle image) => images[image.Id] = image.DisplayPng;

    public void Remove(ImageHandle image) => images.TryRemove(image.Id, out _);

    public byte[]? Get(Guid id) => images.GetValueOrDefault(id);
}

public static class DisplayImageEndpoints
{
    public static void MapDisplayImages(this IEndpointRouteBuilder app) =>
        app.MapGet("/images/{id:guid}.png", (Guid id, DisplayImages images) =>
            images.Get(id) is { } png ? Results.File(png, "image/png") : Results.NotFound());
}
