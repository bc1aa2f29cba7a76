#!/usr/bin/env bash
# Installs the native libraries atcfix links against, only when they are missing.
set -euo pipefail
source "$(dirname "$0")/common.sh"

missing=()
for pkg in libopenblas-dev libsqlite3-dev pkg-config; do
    if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        say "$pkg already installed"
    else
        missing+=("$pkg")
    fi
done
if [ "${#missing[@]}" -gt 0 ]; then
    command -v apt-get >/dev/null || die "apt-get not found; install ${missing[*]} by hand"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    say "installing ${missing[*]} with apt-get"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
