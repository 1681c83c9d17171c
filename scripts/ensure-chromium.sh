#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing.
# The tests drive /usr/bin/chromium through Playwright; no browser is downloaded.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
echo "Installing Chromium from Debian's packages (browser tests need it)..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
