#!/usr/bin/env python3
"""Reference run of Hugging Face transformers' Qwen3-VL for parity checks of ArrCoc.Qwen3VL and of ARR-COC's pruned
prompt (ArrCoc.Engine's integration).

Not run in CI (PyTorch is not available there). Needs: torch, transformers >= 4.57 (Qwen3-VL), pillow, safetensors.

It runs the official processor and model in float32 on the same checkpoint folder, image and question as
`arrcoc ask --dump`, writes the same JSON fields (input_ids, position_ids, image_grid_thw, pixel_values_shape,
first_step_logits, generated_ids, text, kept) and, with --tensors, a safetensors file of per-stage activations
(pixel_values, image_embeds, deepstack_k, position_ids, hidden_l after every decoder layer, first_step_logits).
With --compare it prints the differences to a C# dump.

The whole model (every image token), through `generate`:

  arrcoc fixture --out /tmp/fx --tied
  arrcoc ask --model /tmp/fx --image cat.png --question "What is in this image?" --all-tokens --max-new-tokens 32 --dump cs.json
  python tools/qwen3vl_reference.py --model /tmp/fx --image cat.png --question "What is in this image?" \
      --max-new-tokens 32 --out ref.json --tensors ref.safetensors --compare cs.json

The same kept cells (what `arrcoc ask` runs by default): when the C# dump has `kept` (or --kept FILE.json gives a
list), the reference builds the full prompt with the official processor and get_rope_index, keeps those image
tokens (rows of image_embeds and of every DeepStack feature) at their original (t, h, w), keeps every text token at
its original position, and decodes greedily at max(position) + 1, + 2, ... with the checkpoint's repetition
penalty, calling the text model directly (generate cannot take such positions). The processor must give the grid
the C# run used: `--grid 32` is a 1024 x 1024 image, so use one of that size.

  arrcoc ask --model /tmp/fx --image cat1024.png --question "What is in this image?" --k 200 --grid 32 --max-new-tokens 32 --dump cs.json
  python tools/qwen3vl_reference.py --model /tmp/fx --image cat1024.png --question "What is in this image?" \
      --max-new-tokens 32 --out ref.json --compare cs.json

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


def read_kept(path):
    with open(path) as f:
        kept = json.load(f)
    if not isinstance(kept, list) or not all(isinstance(k, int) for k in kept):
        raise SystemExit(f"{path}: expected a JSON list of cell indices")
    return kept


def pruned_reference(model, inputs, kept, max_new_tokens):
    """ARR-COC's pruned prompt, built from transformers' own pieces: the kept image tokens at their original (t, h, w)."""
    config = model.config
    ids = inputs["input_ids"]                                                                 # [1, S]
    position_ids, _ = model.model.get_rope_index(ids, inputs["image_grid_thw"], None, inputs["attention_mask"])  # [3, 1, S]
    image_embeds, deepstack = model.model.get_image_features(inputs["pixel_values"], inputs["image_grid_thw"])
    if isinstance(image_embeds, (list, tuple)):
        image_embeds = torch.cat(list(image_embeds), dim=0)                                   # [M, D]
    image_at = (ids[0] == config.image_token_id).nonzero().squeeze(1)                         # [M]
    m = image_at.numel()
    if not kept or any(not 0 <= k < m for k in kept) or any(b <= a for a, b in zip(kept, kept[1:])):
        raise SystemExit(f"kept cells must be strictly increasing indices in [0, {m})")
    kept_index = torch.tensor(kept, dtype=torch.long)                                         # [K]

    keep = torch.ones(ids.shape[1], dtype=torch.bool)
    keep[image_at] = False
    keep[image_at[kept_index]] = True
    ids = ids[:, keep]                                                                        # [1, S']
    positions = position_ids[:, :, keep]                                                      # [3, 1, S']
    visual = ids == config.image_token_id                                                     # [1, S']
    embed = model.get_input_embeddings()
    embeds = embed(ids)                                                                       # [1, S', D]
    embeds[visual] = image_embeds[kept_index].to(embeds.dtype)
    deepstack = [d[kept_index] for d in deepstack]                                            # each [K, D]

    def last_logits():
        out = model.model.language_model(inputs_embeds=embeds, position_ids=positions,
                                         attention_mask=torch.ones(visual.shape, dtype=torch.long),
                                         visual_pos_masks=visual, deepstack_visual_embeds=deepstack, use_cache=False)
        return model.lm_head(out.last_hidden_state[:, -1]).float()[0]                          # [V]

    penalty = getattr(model.generation_config, "repetition_penalty", None) or 1.0
    eos = model.generation_config.eos_token_id
    eos = set(eos if isinstance(eos, list) else [eos] if eos is not None else [])
    seen = ids[0].tolist()
    first = logits = last_logits()
    next_position = positions.max().item() + 1
    generated = []
    for _ in range(max_new_tokens):
        scores = logits.clone()
        if penalty != 1.0:                                                                    # as transformers' RepetitionPenaltyLogitsProcessor
            index = torch.tensor(sorted(set(seen)))
            picked = scores[index]
            scores[index] = torch.where(picked < 0, picked * penalty, picked / penalty)
        token = int(scores.argmax())
        generated.append(token)
        seen.append(token)
        if token in eos:
            break
        embeds = torch.cat([embeds, embed(torch.tensor([[token]]))], dim=1)
        positions = torch.cat([positions, torch.full((3, 1, 1), next_position, dtype=positions.dtype)], dim=2)
        visual = torch.cat([visual, torch.zeros((1, 1), dtype=torch.bool)], dim=1)
        next_position += 1
        logits = last_logits()
    return ids, positions[:, :, :ids.shape[1]], first, generated


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--image", required=True)
    parser.add_argument("--question", required=True)
    parser.add_argument("--max-new-tokens", type=int, default=128)
    parser.add_argument("--out", required=True, help="JSON with the fields of `arrcoc ask --dump`")
    parser.add_argument("--tensors", help="safetensors file of per-stage activations")
    parser.add_argument("--compare", help="a C# `arrcoc ask --dump` JSON to compare with")
    parser.add_argument("--kept", help="JSON list of kept cells (default: the --compare dump's `kept`, if any)")
    args = parser.parse_args()

    ours = None
    if args.compare:
        with open(args.compare) as f:
            ours = json.load(f)
    kept = read_kept(args.kept) if args.kept else (ours or {}).get("kept")

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
        hooks.append(layer.register_forward_hook(lambda _m, _i, out, index=index: captured.setdefault(f"hidden_{index}", (out[0] if isinstance(out, tuple) else out).detach().clone())))

    with torch.no_grad():
        features = model.model.get_image_features(inputs["pixel_values"], inputs["image_grid_thw"])
        image_embeds, deepstack = features[0], features[1]
        if isinstance(image_embeds, (list, tuple)):
            image_embeds = torch.cat(list(image_embeds), dim=0)
        position_ids, rope_deltas = model.model.get_rope_index(inputs["input_ids"], inputs["image_grid_thw"], None, inputs["attention_mask"])
        if kept is None:
            logits = model(**inputs).logits[0, -1].float()
            generated = model.generate(**inputs, max_new_tokens=args.max_new_tokens, do_sample=False)
            input_ids = inputs["input_ids"]
            new_ids = generated[0, input_ids.shape[1]:].tolist()
        else:
            if ours is not None and ours["image_grid_thw"] != inputs["image_grid_thw"].tolist():
                raise SystemExit(f"the C# run used image_grid_thw {ours['image_grid_thw']}, the processor gives "
                                 f"{inputs['image_grid_thw'].tolist()}: use an image of the grid's size (1024 x 1024 for --grid 32)")
            input_ids, position_ids, logits, new_ids = pruned_reference(model, inputs, kept, args.max_new_tokens)
        for h in hooks:                               # hidden_l: the first forward (the prompt's), pruned or not
            h.remove()
    answer = processor.tokenizer.decode(new_ids, skip_special_tokens=True)

    dump = {
        "input_ids": input_ids[0].tolist(),
        "position_ids": position_ids[:, 0].tolist(),
        "image_grid_thw": inputs["image_grid_thw"].tolist(),
        "pixel_values_shape": list(inputs["pixel_values"].shape),
        "first_step_logits": logits.tolist(),
        "generated_ids": new_ids,
        "text": answer,
        "kept": kept,
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
    if ours is not None:
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
