#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing; Playwright drives it through
# executablePath and never downloads a browser of its own. Safe to run again and from several
# checkouts at once: apt/dpkg's own lock serializes concurrent installs.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "install-chromium: chromium is missing; run as root or: sudo apt-get install -y chromium" >&2
  exit 1
fi
echo "install-chromium: installing Debian's chromium package" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium fonts-liberation >&2
command -v chromium >/dev/null
