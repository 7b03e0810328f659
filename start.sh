#!/usr/bin/env bash
# The main job (README: "Run"): the Microscope web app on http://127.0.0.1:7860 (ASPNETCORE_URLS changes it).
# With arguments, runs the `arrcoc` command instead, e.g. ./start.sh analyze --image my.jpg --question "Where?".
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh >/dev/null
if [ "$#" -eq 0 ]; then
  exec dotnet run -c Release --project src/ArrCoc.Microscope
fi
exec dotnet run -c Release --project src/ArrCoc.Cli -- "$@"
