using System.CommandLine;
using System.Text.Json;
using ArrCoc.Cli.Hub;
using ArrCoc.Qwen3VL.Tokenization;

namespace ArrCoc.Cli.Commands;

/// <summary>`arrcoc tokenize`: token ids of a text, or of every {"text": ...} line of a .jsonl file.</summary>
public static class TokenizeCommand
{
    static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var model = ModelOption.Create();
        var text = new Option<string?>("--text") { Description = "Text to tokenize; prints its ids as a JSON array." };
        var jsonl = new Option<FileInfo?>("--jsonl") { Description = "File of {\"text\": ...} lines; writes one {\"text\",\"ids\",\"decoded\"} line each." };
        var command = new Command("tokenize", "Tokenize text with a checkpoint's tokenizer (added tokens such as <|im_start|> are recognised).")
        {
            model, text, jsonl,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var textValue = parse.GetValue(text);
            var file = parse.GetValue(jsonl);
            if ((textValue is null) == (file is null)) throw new ArgumentException("give exactly one of --text and --jsonl.");
            var console = parse.InvocationConfiguration.Output;
            var resolved = await ModelOption.ResolveAsync(parse.GetValue(model)!, parse.InvocationConfiguration.Error, cancellationToken).ConfigureAwait(false);
            var tokenizer = Qwen2Tokenizer.FromDirectory(resolved.Folder);
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
