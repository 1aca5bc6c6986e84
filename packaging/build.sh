#!/usr/bin/env bash
# Builds the desktop app for the current platform into dist/ with PyInstaller (one folder):
#   Linux   dist/aam-explorer/aam-explorer          (run it; the folder is the app)
#   macOS   dist/AAM Config Explorer.app
#   Windows dist/aam-explorer/aam-explorer.exe     (run from Git Bash; see packaging/README.md)
# Uses the current Python (PYTHON=... to choose), which must have the app installed
# (scripts/install.sh); installs PyInstaller into it if missing. Prints the size at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
pyinstaller_spec="pyinstaller>=6.10,<7"

fail() { echo "packaging/build.sh: error: $*" >&2; exit 1; }

"$python" -c "import explorer, PySide6, pyqtgraph" 2>/dev/null \
  || fail "the app is not installed in $python: run scripts/install.sh first"
if ! "$python" -c "import PyInstaller" 2>/dev/null; then
  echo "Installing PyInstaller (build tool only, not an app dependency)"
  "$python" -m pip install -q --disable-pip-version-check "$pyinstaller_spec" \
    || fail "could not install PyInstaller"
fi
if [ "$(uname -s)" = Linux ] && ! command -v objdump >/dev/null 2>&1; then
  fail "objdump is missing (PyInstaller needs binutils: apt-get install binutils)"
fi

version=$("$python" -c "import explorer; print(explorer.__version__)")
echo "Building AAM Config Explorer $version with $("$python" -m PyInstaller --version 2>&1 | tail -1)"
start=$(date +%s)
rm -rf dist/aam-explorer "dist/AAM Config Explorer.app"
"$python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/aam-explorer.spec
elapsed=$(( $(date +%s) - start ))

case "$(uname -s)" in
  Darwin) result="dist/AAM Config Explorer.app" ;;
  *) result="dist/aam-explorer" ;;
esac
[ -e "$result" ] || fail "PyInstaller finished but $result is missing"
echo "Built $result in ${elapsed}s: $(du -sh "$result" | cut -f1)"
