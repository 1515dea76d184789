#!/usr/bin/env bash
# Installs what Ledgerline needs from Debian's packages when it is missing:
# PostgreSQL 15 (server for `make run` and tests), libpq-dev and pkg-config (to build CLibPQ), and
# python3 (the tests run docs/integration.md's example consumer), libharu and the DejaVu fonts
# (invoice PDFs), poppler-utils (the tests read the PDFs back with pdftotext), and openssl (the TLS
# tests generate their certificate with it).
set -euo pipefail

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -f /usr/include/postgresql/libpq-fe.h ] || missing+=(libpq-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
[ -f /usr/include/hpdf.h ] || missing+=(libhpdf-dev)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
[ -x /usr/bin/openssl ] || missing+=(openssl)

if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The Debian package starts a system-wide cluster; Ledgerline uses its own private clusters only.
if command -v swift >/dev/null 2>&1; then
    exit 0
fi
if [ -x /opt/swift/usr/bin/swift ]; then
    exit 0
fi
echo "Swift 6.1 or newer is required (swift not found on PATH or in /opt/swift)" >&2
exit 1
