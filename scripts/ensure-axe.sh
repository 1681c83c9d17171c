#!/usr/bin/env bash
# Installs axe-core (pinned in package.json/package-lock.json) into node_modules/
# for the browser tests' accessibility check. Installs Debian's nodejs and npm
# first when they are missing. Nothing from node_modules is served.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f node_modules/axe-core/axe.min.js ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "Installing Node.js and npm from Debian's packages (the accessibility check needs axe-core)..."
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi
npm ci --no-audit --no-fund --loglevel=error
test -f node_modules/axe-core/axe.min.js
