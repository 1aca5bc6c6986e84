#!/usr/bin/env bash
# Installs AAM Config Explorer into the current Python, plus the Debian libraries Qt needs.
#   scripts/install.sh          the app
#   scripts/install.sh --test   the app and the test tools (pytest, pytest-qt, ruff, mypy,
#                               import-linter, Xvfb, fonts)
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=0
for arg in "$@"; do
  case "$arg" in
    --test) with_tests=1 ;;
    *) echo "usage: scripts/install.sh [--test]" >&2; exit 2 ;;
  esac
done

# Qt needs these even offscreen; a real window (Xvfb) needs the xcb ones; fonts so text renders.
qt_libs="libgl1 libegl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0
  libxkbcommon0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1
  libxkbcommon-x11-0 fonts-dejavu-core fonts-noto-cjk"
test_tools="xvfb xauth chromium poppler-utils"
wanted="$qt_libs"
[ "$with_tests" = 1 ] && wanted="$wanted $test_tools"

if command -v dpkg-query >/dev/null 2>&1; then
  missing=""
  for pkg in $wanted; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing="$missing $pkg"
  done
  if [ -n "$missing" ]; then
    sudo_cmd=""
    [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    echo "Installing Debian packages:$missing"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends \
      $missing >/dev/null
  fi
fi

python=${PYTHON:-python3}
extra=""
[ "$with_tests" = 1 ] && extra="[test]"
"$python" -m pip install -q --disable-pip-version-check -e ".$extra"
