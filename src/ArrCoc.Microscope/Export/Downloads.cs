using Microsoft.JSInterop;

namespace ArrCoc.Microscope.Export;

/// <summary>Saves bytes made on the server as a file in the browser (wwwroot/js/microscope.js: arrcoc.download).</summary>
public sealed class Downloads(IJSRuntime js)
{
    public async Task SaveAsync(string fileName, string contentType, byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        using var reference = new DotNetStreamReference(stream);
        await js.InvokeVoidAsync("arrcoc.download", fileName, contentType, reference);
    }

    public Task SavePngAsync(string fileName, byte[] png) => SaveAsync(fileName, "image/png", png);
}
