#!/usr/bin/env bash
# Headless Chromium for the report tests (`huanjie report --pdf`, the HTML report opened in a browser):
# Debian's chromium and chromium-driver, and a CJK font so the pages show Chinese, installed when
# missing (as root, after apt-get update). Nothing is downloaded at test time.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-wqy-zenhei)
[ ${#missing[@]} -eq 0 ] && exit 0
[ "$(id -u)" = 0 ] || { echo "chromium.sh: install ${missing[*]} first (as root)" >&2; exit 1; }
echo "chromium.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q "${missing[@]}" >&2
