using System.Text.Json;

namespace ArrCoc.Microscope.State;

/// <summary>A bundled sample: an image the project made and questions worth asking about it.</summary>
public sealed record Sample(string Id, string Title, string File, IReadOnlyList<string> Questions);

/// <summary>The bundled samples: samples/samples.json and the images beside it (samples/ under the content root).</summary>
public sealed class SampleCatalog
{
    public SampleCatalog(string folder, ILogger<SampleCatalog> logger)
    {
        Folder = folder;
        var index = Path.Combine(Folder, "samples.json");
        if (!System.IO.File.Exists(index))
        {
            logger.LogWarning("no bundled samples: {Index} is missing", index);
            return;
        }
        var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };
        All = JsonSerializer.Deserialize<List<Sample>>(System.IO.File.ReadAllBytes(index), options) ?? [];
    }

    public string Folder { get; }

    public IReadOnlyList<Sample> All { get; } = [];

    public Sample? Find(string id) => All.FirstOrDefault(s => s.Id == id);

    public byte[] Read(Sample sample) => System.IO.File.ReadAllBytes(Path.Combine(Folder, sample.File));
}
