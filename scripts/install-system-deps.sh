#!/usr/bin/env bash
# What archiver itself needs from the system, for PDF: Pango (WeasyPrint's text layout),
# HarfBuzz's subsetter (fast font subsetting) and fonts with glyphs for Latin, Greek,
# Cyrillic, Arabic, Hebrew (DejaVu) and Chinese, Japanese, Korean (Noto CJK), and the books' text
# face, Charis SIL (printed in the PDF, embedded in the EPUB).
# Installs only what is missing, from Debian's packages; needs root or sudo.
set -euo pipefail
need=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-cjk fonts-sil-charis)
missing=()
for package in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
command -v apt-get >/dev/null 2>&1 || { echo "please install: ${missing[*]}" >&2; exit 1; }
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing ${missing[*]} (PDF rendering and fonts)" >&2
$sudo apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
