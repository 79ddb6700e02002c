#!/usr/bin/env bash
# Installs schemathesis, the OpenAPI fuzzer of the contract test (test/contract/), from PyPI into a
# Python venv at .tools/schemathesis: the versions of test/contract/requirements.txt, every
# dependency pinned there too (--no-deps resolves nothing else). Fast when already installed: a
# stamp holds the hash of the requirements the venv was built from.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.tools/schemathesis
requirements=test/contract/requirements.txt
stamp=$venv/.requirements.sha256
want=$(sha256sum "$requirements" | cut -d' ' -f1)
if [[ -x $venv/bin/st && -f $stamp && $(cat "$stamp") == "$want" ]]; then
  exit 0
fi
python=${PYTHON:-python3}
if ! "$python" -c 'import sys, venv; sys.exit(sys.version_info < (3, 9))' 2>/dev/null; then
  echo "install-schemathesis: needs Python 3.9 or later with venv (Debian: apt-get install python3-venv)" >&2
  exit 1
fi
echo "install-schemathesis: installing $(grep -m1 '^schemathesis==' "$requirements") into $venv" >&2
# A venv is not relocatable: build it in place, and mark it complete only at the end.
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/pip" install --disable-pip-version-check --no-input --no-deps --progress-bar on \
  --requirement "$requirements" >&2
"$venv/bin/st" --version >&2
echo "$want" >"$stamp"
