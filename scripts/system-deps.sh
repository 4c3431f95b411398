#!/usr/bin/env bash
# Debian packages the test suite uses for real parts: PostgreSQL (index scale-out),
# Chromium (web pages), debootstrap (freezer runs with no Python). Installs only what is
# missing; needs root (or sudo). Skipped quietly where apt-get does not exist.
set -euo pipefail
command -v apt-get >/dev/null || exit 0
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
need=()
[ -x /usr/lib/postgresql/15/bin/postgres ] || ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null || need+=(chromium)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v patchelf >/dev/null || need+=(patchelf)
[ -f /usr/include/zlib.h ] || need+=(zlib1g-dev)
if [ ${#need[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
