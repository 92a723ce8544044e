#!/usr/bin/env bash
# Installs what reportd needs to build, test and run on Debian 12 (bookworm), by package
# name. Idempotent: does nothing when every package is already installed.
set -euo pipefail

packages=(
    # toolchain
    build-essential cmake pkg-config git ca-certificates clang libclang-rt-14-dev
    # libraries reportd links
    librdkafka-dev libpq-dev libcurl4-openssl-dev libyajl-dev libxml2-dev libpcre2-dev
    libmicrohttpd-dev libsystemd-dev libzip-dev libssl-dev zlib1g-dev
    # PDF text and OCR (transforms/pdf.c): poppler-glib, poppler-data (CMaps for CJK fonts
    # without ToUnicode), cairo for rendering pages, Tesseract with its Chinese data
    libpoppler-glib-dev poppler-data libcairo2-dev libtesseract-dev tesseract-ocr-chi-sim
    # services and tools the tests and the quick start use
    postgresql postgresql-client kcat procps curl python3 util-linux systemd openssl
    # PDF fixtures made by the tests: reportlab, PIL and a CJK TrueType font
    python3-reportlab python3-pil fonts-wqy-zenhei
    # a .doc written by a generator we trust: LibreOffice Writer, headless
    libreoffice-writer-nogui
    # operators' checks: alerting rules (promtool), compose file, package, completion
    prometheus docker-compose lintian bash-completion file
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "install-deps: missing packages: ${missing[*]}; run as root (or install them)" >&2
    exit 1
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Packages are installed for their programs and libraries: their services (the prometheus
# and postgresql packages ship some) must not start as a side effect. policy-rc.d answers
# "not now" to invoke-rc.d while we install, unless the machine already has one.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && own_policy=1
fi
cleanup() { [ "$own_policy" = 1 ] && rm -f "$policy"; return 0; }
trap cleanup EXIT
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
