#!/usr/bin/env bash
# Run every test (README: "Run the tests"). Installs what a fresh Debian 12 machine lacks first (setup.sh).
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh
dotnet test ArrCoc.Microscope.sln "$@"
