using ArrCoc.Engine.Samples;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArrCoc.Engine.Tests;

public class SampleTests
{
    [Fact]
    public void BundledSamples_AreWhatTheGeneratorRenders()
    {
        var directory = Path.Combine(RepositoryPaths.Root, "samples");
        foreach (var scene in SampleScenes.All)
        {
            var file = Path.Combine(directory, scene.Id + ".png");
            Assert.True(File.Exists(file), $"{file} is missing: run `arrcoc samples --out samples`");
            using var committed = Image.Load<Rgb24>(file);
            using var rendered = scene.Render();
            Assert.Equal((SampleScenes.Size, SampleScenes.Size), (committed.Width, committed.Height));
            for (int y = 0; y < rendered.Height; y += 7)
                for (int x = 0; x < rendered.Width; x += 7)
                    Assert.Equal(rendered[x, y], committed[x, y]);
        }
    }

    [Fact]
    public void Scenes_HaveQuestions()
    {
        Assert.All(SampleScenes.All, s => Assert.NotEmpty(s.Questions));
        Assert.Equal(SampleScenes.All.Count, SampleScenes.All.Select(s => s.Id).Distinct().Count());
    }
}
