#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing (Playwright drives it; its
# own browser download cannot work on this network). Needs root or sudo for apt-get.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  echo "[chromium] $(chromium --version 2>/dev/null || echo present)"
  exit 0
fi
sudo=''
[[ $(id -u) == 0 ]] || sudo='sudo'
echo "[chromium] installing Debian's chromium package…"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium
echo "[chromium] $(chromium --version)"
