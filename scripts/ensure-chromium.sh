#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests when it is missing (the project's own
# set-up step: no browser download from anywhere but the Debian archive).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "ensure-chromium: chromium is not installed and this user cannot install it. Run as root: apt-get install chromium" >&2
    exit 1
  fi
else
  SUDO=
fi
echo "ensure-chromium: installing Debian's chromium (apt-get)" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
command -v chromium >/dev/null
