#!/usr/bin/env bash
# Installs what WeasyPrint (certificates, reports) and the PDF tests need when it is missing:
# Pango (text layout), DejaVu fonts (Cyrillic and the Kazakh letters ә ғ қ ң ө ұ ү һ і) and
# poppler-utils (pdftoppm/pdftotext: the tests render PDFs to images to look at).
set -euo pipefail
missing=()
for package in libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
echo "Installing ${missing[*]} from Debian's packages (PDF certificates and reports need them)..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fc-list | grep -qi "DejaVu Serif" || { echo "DejaVu fonts are still missing" >&2; exit 1; }
