#!/usr/bin/env bash
# Debian packages shipyard's real parts use. Installs only what is missing; needs root (or
# sudo). Skipped quietly where apt-get does not exist.
#   scripts/system-deps.sh freeze   what `shipyard freeze` needs on the build machine:
#                                   a C compiler, zlib's static library, patchelf, strip
#   scripts/system-deps.sh test     that, plus what the tests use: PostgreSQL (index
#                                   scale-out), Chromium (web pages), debootstrap (apps run
#                                   where there is no Python)
set -euo pipefail
group=${1:-test}
command -v apt-get >/dev/null || exit 0
SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null && sudo -n true 2>/dev/null && SUDO=sudo
fi
need=()
command -v cc >/dev/null || need+=(gcc)
command -v strip >/dev/null || need+=(binutils)
command -v patchelf >/dev/null || need+=(patchelf)
[ -f /usr/include/zlib.h ] || need+=(zlib1g-dev)
# Debian's own python3 is linked statically: its shared libpython and headers are apart
if dpkg -s python3 >/dev/null 2>&1 && ! dpkg -s python3-dev >/dev/null 2>&1; then need+=(python3-dev); fi
if [ "$group" = test ]; then
  ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
  command -v chromium >/dev/null || need+=(chromium)
  command -v debootstrap >/dev/null || need+=(debootstrap)
fi
[ ${#need[@]} -gt 0 ] || exit 0
if [ "$(id -u)" != 0 ] && [ -z "$SUDO" ]; then
  echo "shipyard: please install these Debian packages (as root): apt-get install ${need[*]}" >&2
  exit 1
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
