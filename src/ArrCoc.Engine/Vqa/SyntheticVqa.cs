using System.Text.Json;
using ArrCoc.Engine.Samples;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace ArrCoc.Engine.Vqa;

/// <summary>
/// A small synthetic dataset in the official VQAv2 layout, for tests and demos: scenes of coloured shapes and
/// one question each about colour, count, presence or position, with 10 human-like answers (mostly the
/// canonical answer, some in other spellings the official metric normalises, e.g. "three", "Red.").
/// Deterministic for a seed.
/// </summary>
public static class SyntheticVqa
{
    public const int ImageSize = 512;

    static readonly (string Name, Rgb24 Colour)[] Colours =
    [
        ("red", new Rgb24(220, 40, 40)), ("blue", new Rgb24(40, 80, 220)), ("green", new Rgb24(30, 160, 60)), ("yellow", new Rgb24(240, 200, 30)),
    ];

    static readonly string[] Shapes = ["circle", "square", "triangle"];

    static readonly string[] NumberWords = ["zero", "one", "two", "three", "four", "five"];

    sealed record Item(string Shape, int ColourIndex, double X, double Y);

    /// <summary>Write <paramref name="count"/> examples under <paramref name="directory"/>; returns them.</summary>
    public static IReadOnlyList<VqaExample> Write(string directory, int count, string split = "train2014", int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var images = Path.Combine(directory, "images", split);
        Directory.CreateDirectory(images);
        var random = new Random(seed);
        var questions = new List<object>();
        var annotations = new List<object>();
        var examples = new List<VqaExample>();
        for (int n = 0; n < count; n++)
        {
            long imageId = 100_000 + n, questionId = imageId * 10;
            var items = Scene(random);
            var path = Path.Combine(images, VqaDataset.ImageFile(split, imageId));
            using (var image = Render(items))
                image.SaveAsJpeg(path, new JpegEncoder { Quality = 90 });

            var (question, canonical, variants, type) = Ask(items, n % 4, random);
            var answers = Enumerable.Range(0, 10).Select(i => i < 8 ? canonical : variants[random.Next(variants.Length)]).OrderBy(_ => random.Next()).ToArray();
            questions.Add(new { image_id = imageId, question, question_id = questionId });
            annotations.Add(new
            {
                question_type = type == "yes/no" ? "is there a" : type == "number" ? "how many" : "what",
                multiple_choice_answer = canonical,
                answers = answers.Select((a, i) => new { answer = a, answer_confidence = "yes", answer_id = i + 1 }),
                image_id = imageId,
                answer_type = type,
                question_id = questionId,
            });
            examples.Add(new VqaExample { QuestionId = questionId, ImagePath = path, Question = question, Answers = answers, AnswerType = type });
        }
        var info = new { description = "ARR-COC synthetic VQA (rendered shapes)", version = "1.0" };
        WriteJson(Path.Combine(directory, VqaDataset.QuestionsFile(split)), new { info, task_type = "Open-Ended", data_type = "mscoco", data_subtype = split, questions });
        WriteJson(Path.Combine(directory, VqaDataset.AnnotationsFile(split)), new { info, data_type = "mscoco", data_subtype = split, annotations });
        return examples;
    }

    static List<Item> Scene(Random random)
    {
        int shapes = random.Next(1, 6);
        var items = new List<Item>();
        while (items.Count < shapes)
        {
            var candidate = new Item(Shapes[random.Next(Shapes.Length)], random.Next(Colours.Length), 70 + random.NextDouble() * (ImageSize - 140), 70 + random.NextDouble() * (ImageSize - 140));
            if (items.All(i => Math.Abs(i.X - candidate.X) > 110 || Math.Abs(i.Y - candidate.Y) > 110)) items.Add(candidate);
        }
        return items;
    }

    static Image<Rgb24> Render(List<Item> items)
    {
        var image = new Image<Rgb24>(ImageSize, ImageSize, new Rgb24(235, 235, 228));
        foreach (var item in items)
        {
            var colour = Colours[item.ColourIndex].Colour;
            switch (item.Shape)
            {
                case "circle": Canvas.FillDisc(image, item.X, item.Y, 45, colour); break;
                case "square": Canvas.FillRectangle(image, (int)item.X - 40, (int)item.Y - 40, 80, 80, colour); break;
                default: Canvas.FillTriangle(image, item.X, item.Y - 45, 95, 90, colour); break;
            }
        }
        return image;
    }

    static (string Question, string Canonical, string[] Variants, string Type) Ask(List<Item> items, int kind, Random random)
    {
        var subject = items[random.Next(items.Count)];
        string colour = Colours[subject.ColourIndex].Name;
        bool unique = items.Count(i => i.Shape == subject.Shape) == 1;
        bool uniqueByColour = items.Count(i => i.Shape == subject.Shape && i.ColourIndex == subject.ColourIndex) == 1;
        if ((kind == 0 && !unique) || (kind == 3 && !uniqueByColour)) kind = 1; // "the circle" must name one shape
        switch (kind)
        {
            case 0:
                return ($"What color is the {subject.Shape}?", colour, [Capitalise(colour) + ".", $"the {colour}"], "other");
            case 1:
                int count = items.Count(i => i.Shape == subject.Shape);
                return ($"How many {subject.Shape}s are there?", count.ToString(System.Globalization.CultureInfo.InvariantCulture), [NumberWords[count], $"{count} {subject.Shape}s"], "number");
            case 2:
                var askedColour = Colours[random.Next(Colours.Length)].Name;
                bool present = items.Any(i => i.Shape == subject.Shape && Colours[i.ColourIndex].Name == askedColour);
                return ($"Is there a {askedColour} {subject.Shape}?", present ? "yes" : "no", [present ? "Yes" : "No", present ? "yes" : "no"], "yes/no");
            default:
                var side = subject.X < ImageSize / 2.0 ? "left" : "right";
                return ($"Is the {colour} {subject.Shape} on the left or the right?", side, [$"on the {side}", $"the {side}"], "other");
        }
    }

    static string Capitalise(string word) => char.ToUpperInvariant(word[0]) + word[1..];

    static void WriteJson(string path, object value) =>
        File.WriteAllText(path, JsonSerializer.Serialize(value, new JsonSerializerOptions { WriteIndented = false }));
}
