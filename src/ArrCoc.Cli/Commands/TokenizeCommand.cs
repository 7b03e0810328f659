using System.CommandLine;
using System.Text.Json;
using ArrCoc.Qwen3VL.Tokenization;

namespace ArrCoc.Cli.Commands;

/// <summary>`arrcoc tokenize`: token ids of a text, or of every {"text": ...} line of a .jsonl file.</summary>
public static class TokenizeCommand
{
    static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "Checkpoint folder with tokenizer.json (or vocab.json + merges.txt).", Required = true };
        var text = new Option<string?>("--text") { Description = "Text to tokenize; prints its ids as a JSON array." };
        var jsonl = new Option<FileInfo?>("--jsonl") { Description = "File of {\"text\": ...} lines; writes one {\"text\",\"ids\",\"decoded\"} line each." };
        var command = new Command("tokenize", "Tokenize text with a checkpoint's tokenizer (added tokens such as <|im_start|> are recognised).")
        {
            model, text, jsonl,
        };
        command.SetAction(parse =>
        {
            var textValue = parse.GetValue(text);
            var file = parse.GetValue(jsonl);
            if ((textValue is null) == (file is null)) throw new ArgumentException("give exactly one of --text and --jsonl.");
            var tokenizer = Qwen2Tokenizer.FromDirectory(parse.GetValue(model)!.FullName);
            var console = parse.InvocationConfiguration.Output;
            if (textValue is not null)
            {
                console.WriteLine(JsonSerializer.Serialize(tokenizer.Encode(textValue)));
                return 0;
            }
            if (!file!.Exists) throw new FileNotFoundException($"{file.FullName} not found.", file.FullName);
            var lineNumber = 0;
            foreach (var line in File.ReadLines(file.FullName))
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line)) continue;
                string input;
                try
                {
                    using var doc = JsonDocument.Parse(line);
                    if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("text", out var t) || t.ValueKind != JsonValueKind.String)
                        throw new FormatException($"{file.Name} line {lineNumber}: expected an object with a string \"text\".");
                    input = t.GetString()!;
                }
                catch (JsonException e)
                {
                    throw new FormatException($"{file.Name} line {lineNumber}: not valid JSON ({e.Message}).", e);
                }
                var ids = tokenizer.Encode(input);
                console.WriteLine(JsonSerializer.Serialize(new { text = input, ids, decoded = tokenizer.Decode(ids) }, Readable));
            }
            return 0;
        });
        return command;
    }
}
