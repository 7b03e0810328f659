#!/bin/sh
# Container entrypoint: put the Hugging Face cache on persistent storage (/data on Spaces) when there is any,
# else under HOME; then start the Microscope from its own folder (its content root).
set -eu
if [ -z "${HF_HOME:-}" ]; then
  if [ -d /data ] && [ -w /data ]; then
    export HF_HOME=/data/huggingface
  else
    export HF_HOME="$HOME/.cache/huggingface"
  fi
fi
mkdir -p "$HF_HOME"
cd /app
exec /app/ArrCoc.Microscope "$@"
