using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArrCoc.Engine.Samples;

/// <summary>A bundled sample: a scene the project renders itself (no images of unknown licence) and questions to ask.</summary>
public sealed record SampleScene(string Id, string Title, IReadOnlyList<string> Questions, Func<Image<Rgb24>> Render);

/// <summary>
/// The bundled samples, rendered deterministically at 1024 × 1024 (the default 32 × 32 grid). `arrcoc samples`
/// writes them as PNG; samples/ in the repository holds those files and a test checks they are current.
/// </summary>
public static class SampleScenes
{
    public const int Size = 1024;

    public static IReadOnlyList<SampleScene> All { get; } =
    [
        new("shapes", "Three shapes", ["What colour is the circle?", "How many shapes are there?", "Which shape is on the right?"], Shapes),
        new("sign", "A street sign", ["What does the sign say?", "What colour is the sign?", "Is it daytime?"], Sign),
        new("counting", "Dots to count", ["How many blue dots are there?", "How many dots are red?", "What colour is most common?"], Counting),
        new("corner", "Something small in a corner", ["Where is the red ball?", "What is in the top left corner?", "Is there anything in the centre?"], Corner),
    ];

    static Image<Rgb24> Shapes()
    {
        var image = new Image<Rgb24>(Size, Size, new Rgb24(236, 232, 222));
        Canvas.FillDisc(image, 230, 520, 150, new Rgb24(214, 48, 49));
        Canvas.FillRectangle(image, 420, 380, 260, 260, new Rgb24(9, 132, 227));
        Canvas.FillTriangle(image, 840, 360, 300, 300, new Rgb24(0, 160, 90));
        Canvas.AddNoise(image, 6, seed: 1);
        return image;
    }

    static Image<Rgb24> Sign()
    {
        var image = new Image<Rgb24>(Size, Size);
        Canvas.VerticalGradient(image, new Rgb24(120, 180, 240), new Rgb24(200, 225, 250));
        Canvas.FillRectangle(image, 0, 800, Size, 224, new Rgb24(90, 90, 96));
        Canvas.FillRectangle(image, 500, 420, 24, 420, new Rgb24(110, 110, 118));
        Canvas.FillRectangle(image, 312, 240, 400, 200, new Rgb24(0, 120, 60));
        Canvas.FillRectangle(image, 324, 252, 376, 176, new Rgb24(0, 140, 70));
        PixelFont.Draw(image, "EXIT 42", 512 - PixelFont.Width("EXIT 42", 8) / 2, 312, 8, new Rgb24(250, 250, 250));
        Canvas.FillDisc(image, 880, 130, 60, new Rgb24(255, 220, 90));
        Canvas.AddNoise(image, 4, seed: 2);
        return image;
    }

    static Image<Rgb24> Counting()
    {
        var image = new Image<Rgb24>(Size, Size, new Rgb24(250, 250, 245));
        var colours = new[] { new Rgb24(30, 90, 220), new Rgb24(220, 40, 40), new Rgb24(30, 90, 220), new Rgb24(240, 190, 20) };
        var random = new Random(3);
        int placed = 0;
        for (int row = 0; row < 4; row++)
            for (int column = 0; column < 4; column++)
            {
                if (random.NextDouble() < 0.3) continue;
                var colour = colours[(row * 4 + column + placed) % colours.Length];
                Canvas.FillDisc(image, 160 + column * 235 + random.Next(-30, 30), 160 + row * 235 + random.Next(-30, 30), 60, colour);
                placed++;
            }
        return image;
    }

    static Image<Rgb24> Corner()
    {
        var image = new Image<Rgb24>(Size, Size, new Rgb24(180, 200, 170));
        Canvas.AddNoise(image, 12, seed: 4);
        Canvas.FillDisc(image, 120, 110, 55, new Rgb24(210, 30, 30));
        Canvas.FillDisc(image, 105, 95, 14, new Rgb24(245, 170, 170));
        return image;
    }
}
