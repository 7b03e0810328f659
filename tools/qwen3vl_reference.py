#!/usr/bin/env python3
"""Reference run of Hugging Face transformers' Qwen3-VL for parity checks of ArrCoc.Qwen3VL.

Not run in CI (PyTorch is not available there). Needs: torch, transformers >= 4.57 (Qwen3-VL), pillow, safetensors.

It runs the official processor and model in float32 on the same checkpoint folder, image and question as
`arrcoc ask --dump`, writes the same JSON fields (input_ids, position_ids, image_grid_thw, pixel_values_shape,
first_step_logits, generated_ids, text) and, with --tensors, a safetensors file of per-stage activations
(pixel_values, image_embeds, deepstack_k, position_ids, hidden_l after every decoder layer, first_step_logits).
With --compare it prints the differences to a C# dump:

  arrcoc fixture --out /tmp/fx --tied
  arrcoc ask --model /tmp/fx --image cat.png --question "What is in this image?" --max-new-tokens 32 --dump cs.json
  python tools/qwen3vl_reference.py --model /tmp/fx --image cat.png --question "What is in this image?" \
      --max-new-tokens 32 --out ref.json --tensors ref.safetensors --compare cs.json

Expected: identical input_ids, position_ids and image_grid_thw; first-step logits within 1e-4; identical greedy ids.
Use an image whose size is already a smart_resize size (e.g. 1024x1024) when comparing pixel-exactly; other sizes
are resized by torchvision's uint8 antialiased bicubic, which the C# processor reproduces with the same libtorch op.
"""
import argparse
import json
import sys

import torch
from PIL import Image


def load(model_dir):
    from transformers import AutoProcessor, Qwen3VLForConditionalGeneration

    try:
        model = Qwen3VLForConditionalGeneration.from_pretrained(model_dir, dtype=torch.float32, attn_implementation="sdpa")
    except TypeError:  # transformers 4.57 spells it torch_dtype
        model = Qwen3VLForConditionalGeneration.from_pretrained(model_dir, torch_dtype=torch.float32, attn_implementation="sdpa")
    processor = AutoProcessor.from_pretrained(model_dir)
    return model.eval(), processor


def prompt_text(question):
    # The Qwen3-VL Instruct template for one image and a question (no system message), as ArrCoc's ChatTemplate.
    return "<|im_start|>user\n<|vision_start|><|image_pad|><|vision_end|>" + question + "<|im_end|>\n<|im_start|>assistant\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--image", required=True)
    parser.add_argument("--question", required=True)
    parser.add_argument("--max-new-tokens", type=int, default=128)
    parser.add_argument("--out", required=True, help="JSON with the fields of `arrcoc ask --dump`")
    parser.add_argument("--tensors", help="safetensors file of per-stage activations")
    parser.add_argument("--compare", help="a C# `arrcoc ask --dump` JSON to compare with")
    args = parser.parse_args()

    torch.manual_seed(0)
    model, processor = load(args.model)
    image = Image.open(args.image).convert("RGB")
    text = prompt_text(args.question)
    if getattr(processor, "chat_template", None):
        messages = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": args.question}]}]
        official = processor.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        if official != text:
            print(f"note: the checkpoint's chat template renders {official!r}, ArrCoc renders {text!r}", file=sys.stderr)
    inputs = processor(text=[text], images=[image], return_tensors="pt")

    captured = {}
    hooks = []
    for index, layer in enumerate(model.model.language_model.layers):
        hooks.append(layer.register_forward_hook(lambda _m, _i, out, index=index: captured.__setitem__(f"hidden_{index}", (out[0] if isinstance(out, tuple) else out).detach().clone())))

    with torch.no_grad():
        features = model.model.get_image_features(inputs["pixel_values"], inputs["image_grid_thw"])
        image_embeds, deepstack = features[0], features[1]
        if isinstance(image_embeds, (list, tuple)):
            image_embeds = torch.cat(list(image_embeds), dim=0)
        position_ids, rope_deltas = model.model.get_rope_index(inputs["input_ids"], inputs["image_grid_thw"], None, inputs["attention_mask"])
        logits = model(**inputs).logits[0, -1].float()
        for h in hooks:
            h.remove()
        generated = model.generate(**inputs, max_new_tokens=args.max_new_tokens, do_sample=False)
    new_ids = generated[0, inputs["input_ids"].shape[1]:].tolist()
    answer = processor.tokenizer.decode(new_ids, skip_special_tokens=True)

    dump = {
        "input_ids": inputs["input_ids"][0].tolist(),
        "position_ids": position_ids[:, 0].tolist(),
        "image_grid_thw": inputs["image_grid_thw"].tolist(),
        "pixel_values_shape": list(inputs["pixel_values"].shape),
        "first_step_logits": logits.tolist(),
        "generated_ids": new_ids,
        "text": answer,
    }
    with open(args.out, "w") as f:
        json.dump(dump, f)

    if args.tensors:
        from safetensors.torch import save_file

        tensors = {
            "pixel_values": inputs["pixel_values"].float().contiguous(),
            "image_grid_thw": inputs["image_grid_thw"].contiguous(),
            "image_embeds": image_embeds.float().contiguous(),
            "position_ids": position_ids.contiguous(),
            "rope_deltas": rope_deltas.contiguous(),
            "first_step_logits": logits.contiguous(),
        }
        for k, d in enumerate(deepstack):
            tensors[f"deepstack_{k}"] = d.float().contiguous()
        tensors.update({k: v.float().contiguous() for k, v in captured.items()})
        save_file(tensors, args.tensors)

    print(f"answer: {answer!r}")
    if args.compare:
        with open(args.compare) as f:
            ours = json.load(f)
        failures = 0
        for key in ("input_ids", "position_ids", "image_grid_thw", "pixel_values_shape", "generated_ids"):
            same = ours[key] == dump[key]
            failures += not same
            print(f"{key:20s} {'identical' if same else 'DIFFERENT'}")
        a = torch.tensor(ours["first_step_logits"])
        b = torch.tensor(dump["first_step_logits"])
        diff = (a - b).abs().max().item() if a.shape == b.shape else float("inf")
        failures += not diff <= 1e-4
        print(f"{'first_step_logits':20s} max |diff| = {diff:.3e} ({'ok' if diff <= 1e-4 else 'ABOVE 1e-4'})")
        print(f"{'text':20s} {'identical' if ours['text'] == dump['text'] else 'DIFFERENT'}")
        sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
