#!/usr/bin/env bash
# The main job (README: "Run"): for now `arrcoc analyze` on a bundled sample; arguments replace the defaults.
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh >/dev/null
if [ "$#" -eq 0 ]; then
  set -- analyze --image samples/shapes.png --question "What colour is the circle?" --out out/analysis
fi
dotnet run -c Release --project src/ArrCoc.Cli -- "$@"
