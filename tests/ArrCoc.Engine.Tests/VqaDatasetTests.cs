using System.Text.Json;
using ArrCoc.Engine.Vqa;

namespace ArrCoc.Engine.Tests;

public class VqaDatasetTests
{
    static void WriteVqa(string dir, string split, object questions, object annotations, params long[] imageIds)
    {
        File.WriteAllText(Path.Combine(dir, VqaDataset.QuestionsFile(split)), JsonSerializer.Serialize(new { questions }));
        File.WriteAllText(Path.Combine(dir, VqaDataset.AnnotationsFile(split)), JsonSerializer.Serialize(new { annotations }));
        Directory.CreateDirectory(Path.Combine(dir, "images", split));
        foreach (var id in imageIds) File.WriteAllBytes(Path.Combine(dir, "images", split, VqaDataset.ImageFile(split, id)), [1]);
    }

    static object Q(long qid, long imageId, string text) => new { image_id = imageId, question = text, question_id = qid };

    static object A(long qid, long imageId, params string[] answers) =>
        new { question_id = qid, image_id = imageId, answer_type = "other", answers = answers.Select((a, i) => new { answer = a, answer_id = i + 1 }) };

    [Fact]
    public void LoadVqaV2_OfficialLayout()
    {
        using var dir = new TempDirectory();
        WriteVqa(dir.Path, "val2014", new[] { Q(42000, 42, "What is it?"), Q(7000, 7, "How many?") }, new[] { A(42000, 42, "cat", "cat"), A(7000, 7, "2") }, 42, 7);
        var examples = VqaDataset.Load(dir.Path, "val2014");
        Assert.Equal(2, examples.Count);
        var first = examples.Single(e => e.QuestionId == 42000);
        Assert.Equal("What is it?", first.Question);
        Assert.Equal(["cat", "cat"], first.Answers);
        Assert.EndsWith("COCO_val2014_000000000042.jpg", first.ImagePath);
        Assert.Equal("other", first.AnswerType);
    }

    [Fact]
    public void Load_MissingAnnotationsFile_NamesIt()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, VqaDataset.QuestionsFile("train2014")), "{\"questions\":[]}");
        var error = Assert.Throws<FileNotFoundException>(() => VqaDataset.Load(dir.Path, "train2014"));
        Assert.Contains("v2_mscoco_train2014_annotations.json is missing", error.Message);
    }

    [Fact]
    public void Load_MalformedJson_NamesTheFile()
    {
        using var dir = new TempDirectory();
        WriteVqa(dir.Path, "s", new[] { Q(1, 1, "q") }, new[] { A(1, 1, "a") }, 1);
        File.WriteAllText(Path.Combine(dir.Path, VqaDataset.AnnotationsFile("s")), "{\"annotations\": [");
        var error = Assert.Throws<InvalidDataException>(() => VqaDataset.Load(dir.Path, "s"));
        Assert.StartsWith("v2_mscoco_s_annotations.json: not valid JSON", error.Message);
    }

    [Fact]
    public void Load_AnnotationOfAnUnknownQuestion_NamesTheRecord()
    {
        using var dir = new TempDirectory();
        WriteVqa(dir.Path, "s", new[] { Q(1, 1, "q") }, new[] { A(1, 1, "a"), A(99, 1, "b") }, 1);
        var error = Assert.Throws<InvalidDataException>(() => VqaDataset.Load(dir.Path, "s"));
        Assert.Contains("annotations[1]: question_id 99 is not in", error.Message);
    }

    [Fact]
    public void Load_QuestionWithoutAnnotation_ClearError()
    {
        using var dir = new TempDirectory();
        WriteVqa(dir.Path, "s", new[] { Q(1, 1, "q"), Q(2, 1, "r") }, new[] { A(1, 1, "a") }, 1);
        Assert.Contains("1 question(s) have no annotation, e.g. question_id 2", Assert.Throws<InvalidDataException>(() => VqaDataset.Load(dir.Path, "s")).Message);
    }

    [Fact]
    public void Load_MissingImage_NamesTheFileAndQuestion()
    {
        using var dir = new TempDirectory();
        WriteVqa(dir.Path, "s", new[] { Q(5, 123, "q") }, new[] { A(5, 123, "a") });
        var error = Assert.Throws<FileNotFoundException>(() => VqaDataset.Load(dir.Path, "s"));
        Assert.Contains("COCO_s_000000000123.jpg of question 5 is missing", error.Message);
    }

    [Fact]
    public void Load_WrongFieldType_NamesTheRecord()
    {
        using var dir = new TempDirectory();
        WriteVqa(dir.Path, "s", new object[] { Q(1, 1, "q"), new { image_id = 1, question = 3, question_id = 2 } }, new[] { A(1, 1, "a") }, 1);
        Assert.Contains("questions[1]: \"question\" is missing or not a string", Assert.Throws<InvalidDataException>(() => VqaDataset.Load(dir.Path, "s")).Message);
    }

    [Fact]
    public void LoadJsonl_RelativeImagesAndErrors()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("a.png"), [1]);
        File.WriteAllText(dir.File("data.jsonl"), "{\"image\":\"a.png\",\"question\":\"q1\",\"answers\":[\"x\",\"y\"]}\n\n{\"image\":\"a.png\",\"question\":\"q2\",\"answers\":[\"z\"]}\n");
        var examples = VqaDataset.Load(dir.File("data.jsonl"), "ignored");
        Assert.Equal(["q1", "q2"], examples.Select(e => e.Question));
        Assert.Equal(dir.File("a.png"), examples[0].ImagePath);

        File.WriteAllText(dir.File("bad.jsonl"), "{\"image\":\"a.png\",\"question\":\"q1\",\"answers\":[\"x\"]}\n{\"image\":\"missing.png\",\"question\":\"q\",\"answers\":[\"x\"]}\n");
        Assert.Contains("line 2: image", Assert.Throws<FileNotFoundException>(() => VqaDataset.Load(dir.File("bad.jsonl"), "")).Message);
        File.WriteAllText(dir.File("broken.jsonl"), "{\"image\":");
        Assert.Contains("line 1: not valid JSON", Assert.Throws<InvalidDataException>(() => VqaDataset.Load(dir.File("broken.jsonl"), "")).Message);
        File.WriteAllText(dir.File("noanswers.jsonl"), "{\"image\":\"a.png\",\"question\":\"q\",\"answers\":[]}");
        Assert.Contains("line 1: no answers", Assert.Throws<InvalidDataException>(() => VqaDataset.Load(dir.File("noanswers.jsonl"), "")).Message);
    }

    [Fact]
    public void SyntheticVqa_RoundTripsThroughTheLoaderAndScoresItsOwnAnswers()
    {
        using var dir = new TempDirectory();
        var written = SyntheticVqa.Write(dir.Path, 12, "train2014", seed: 3);
        var loaded = VqaDataset.Load(dir.Path, "train2014");
        Assert.Equal(written.Select(e => (e.QuestionId, e.Question, string.Join("|", e.Answers))), loaded.Select(e => (e.QuestionId, e.Question, string.Join("|", e.Answers))));
        Assert.All(loaded, e => Assert.Equal(10, e.Answers.Count));
        Assert.All(loaded, e => Assert.Equal(1.0, VqaAccuracy.Score(e.TargetAnswer, e.Answers)));
        Assert.Subset(new HashSet<string?> { "other", "number", "yes/no" }, loaded.Select(e => e.AnswerType).ToHashSet());
        using var image = SixLabors.ImageSharp.Image.Load(loaded[0].ImagePath);
        Assert.Equal(SyntheticVqa.ImageSize, image.Width);
    }

    [Fact]
    public void SyntheticVqa_DeterministicForASeed()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        var x = SyntheticVqa.Write(a.Path, 5, seed: 7);
        var y = SyntheticVqa.Write(b.Path, 5, seed: 7);
        Assert.Equal(x.Select(e => e.Question + string.Join(",", e.Answers)), y.Select(e => e.Question + string.Join(",", e.Answers)));
        Assert.Equal(File.ReadAllBytes(x[3].ImagePath), File.ReadAllBytes(y[3].ImagePath));
    }
}
