using System.Globalization;
using System.Text.Json;

namespace ArrCoc.Engine.Vqa;

/// <summary>
/// Loads visual-question data, validated up front (a bad record is an <see cref="InvalidDataException"/> naming
/// the file and the record):
/// - the official VQAv2 layout: DIR/v2_OpenEnded_mscoco_SPLIT_questions.json, DIR/v2_mscoco_SPLIT_annotations.json,
///   images COCO_SPLIT_&lt;12-digit image id&gt;.jpg in DIR/images/SPLIT, DIR/SPLIT or DIR/images;
/// - a JSONL file of {"image": path (relative to the file), "question": text, "answers": [text, ...]}.
/// </summary>
public static class VqaDataset
{
    public static string QuestionsFile(string split) => $"v2_OpenEnded_mscoco_{split}_questions.json";

    public static string AnnotationsFile(string split) => $"v2_mscoco_{split}_annotations.json";

    public static string ImageFile(string split, long imageId) => $"COCO_{split}_{imageId.ToString("D12", CultureInfo.InvariantCulture)}.jpg";

    /// <summary>Load DIR (VQAv2 layout, given split) or a .jsonl file.</summary>
    public static IReadOnlyList<VqaExample> Load(string path, string split)
    {
        if (File.Exists(path) && path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)) return LoadJsonl(path);
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"VQA data not found: {path} (a VQAv2 folder or a .jsonl file)");
        return LoadVqaV2(path, split);
    }

    public static IReadOnlyList<VqaExample> LoadVqaV2(string directory, string split)
    {
        var questionsPath = Path.Combine(directory, QuestionsFile(split));
        var annotationsPath = Path.Combine(directory, AnnotationsFile(split));
        foreach (var file in new[] { questionsPath, annotationsPath })
            if (!File.Exists(file)) throw new FileNotFoundException($"VQAv2 {split}: {Path.GetFileName(file)} is missing in {directory}", file);
        var imageDirectory = new[] { Path.Combine(directory, "images", split), Path.Combine(directory, split), Path.Combine(directory, "images") }
            .FirstOrDefault(Directory.Exists)
            ?? throw new DirectoryNotFoundException($"VQAv2 {split}: no image folder (images/{split}, {split} or images) in {directory}");

        var questions = new Dictionary<long, (long ImageId, string Question)>();
        using (var doc = ParseJson(questionsPath))
        {
            var list = Property(doc.RootElement, "questions", questionsPath, "the root");
            int index = 0;
            foreach (var q in list.EnumerateArray())
            {
                var where = $"questions[{index++}]";
                long id = Int64(q, "question_id", questionsPath, where);
                if (!questions.TryAdd(id, (Int64(q, "image_id", questionsPath, where), String(q, "question", questionsPath, where))))
                    throw new InvalidDataException($"{Path.GetFileName(questionsPath)}: {where}: question_id {id} appears twice");
            }
        }

        var examples = new List<VqaExample>(questions.Count);
        using (var doc = ParseJson(annotationsPath))
        {
            var list = Property(doc.RootElement, "annotations", annotationsPath, "the root");
            int index = 0;
            foreach (var a in list.EnumerateArray())
            {
                var where = $"annotations[{index++}]";
                long id = Int64(a, "question_id", annotationsPath, where);
                if (!questions.Remove(id, out var question))
                    throw new InvalidDataException($"{Path.GetFileName(annotationsPath)}: {where}: question_id {id} is not in {Path.GetFileName(questionsPath)} (or is annotated twice)");
                var answers = Property(a, "answers", annotationsPath, where).EnumerateArray()
                    .Select((x, i) => String(x, "answer", annotationsPath, $"{where}.answers[{i}]")).ToArray();
                if (answers.Length == 0) throw new InvalidDataException($"{Path.GetFileName(annotationsPath)}: {where}: no answers");
                var image = Path.Combine(imageDirectory, ImageFile(split, question.ImageId));
                if (!File.Exists(image))
                    throw new FileNotFoundException($"VQAv2 {split}: image {Path.GetFileName(image)} of question {id} is missing in {imageDirectory}", image);
                examples.Add(new VqaExample
                {
                    QuestionId = id,
                    ImagePath = image,
                    Question = question.Question,
                    Answers = answers,
                    AnswerType = a.TryGetProperty("answer_type", out var t) ? t.GetString() : null,
                });
            }
        }
        if (questions.Count > 0)
            throw new InvalidDataException($"{Path.GetFileName(annotationsPath)}: {questions.Count} question(s) have no annotation, e.g. question_id {questions.Keys.First()}");
        return examples;
    }

    public static IReadOnlyList<VqaExample> LoadJsonl(string path)
    {
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var examples = new List<VqaExample>();
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var where = $"line {lineNumber}";
            JsonDocument doc;
            try { doc = JsonDocument.Parse(line); }
            catch (JsonException e) { throw new InvalidDataException($"{Path.GetFileName(path)}: {where}: not valid JSON ({e.Message})", e); }
            using (doc)
            {
                var record = doc.RootElement;
                var image = Path.GetFullPath(Path.Combine(baseDirectory, String(record, "image", path, where)));
                if (!File.Exists(image)) throw new FileNotFoundException($"{Path.GetFileName(path)}: {where}: image {image} is missing", image);
                var answers = Property(record, "answers", path, where).EnumerateArray().Select((x, i) => x.ValueKind == JsonValueKind.String
                    ? x.GetString()! : throw new InvalidDataException($"{Path.GetFileName(path)}: {where}: answers[{i}] is not a string")).ToArray();
                if (answers.Length == 0) throw new InvalidDataException($"{Path.GetFileName(path)}: {where}: no answers");
                examples.Add(new VqaExample { QuestionId = lineNumber, ImagePath = image, Question = String(record, "question", path, where), Answers = answers });
            }
        }
        if (examples.Count == 0) throw new InvalidDataException($"{Path.GetFileName(path)}: no examples");
        return examples;
    }

    static JsonDocument ParseJson(string path)
    {
        try { return JsonDocument.Parse(File.ReadAllBytes(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{Path.GetFileName(path)}: not valid JSON ({e.Message})", e); }
    }

    static JsonElement Property(JsonElement element, string name, string file, string where)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array)
            return value;
        throw new InvalidDataException($"{Path.GetFileName(file)}: {where}: \"{name}\" is missing or not a list");
    }

    static string String(JsonElement element, string name, string file, string where) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidDataException($"{Path.GetFileName(file)}: {where}: \"{name}\" is missing or not a string");

    static long Int64(JsonElement element, string name, string file, string where) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n)
            ? n
            : throw new InvalidDataException($"{Path.GetFileName(file)}: {where}: \"{name}\" is missing or not an integer");
}
