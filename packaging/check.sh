#!/usr/bin/env bash
# CI check of the desktop build (Linux): build it, copy it out of the source tree, run it with
# an empty environment under Xvfb, and check what it draws. Exits non-zero on any failure.
#   1. packaging/build.sh                      -> dist/aam-explorer (timed, sized)
#   2. copy to a temp folder; env -i with only DISPLAY, XAUTHORITY and HOME:
#      - DISPLAY/XAUTHORITY: the Xvfb display and its cookie (xvfb-run requires the cookie)
#      - HOME: a fresh temp folder, so settings (~/.config) and the demo workspace
#        (~/.local/share) are created from scratch instead of touching the real user's
#        (without HOME, Python falls back to the passwd entry's home directory)
#   3. `aam-explorer --version`, `demo --screenshot` (imports the bundled demo tenant first),
#      `--bundle-self-test` (every module imports; pyqtgraph draws a chart) and `snapshot`
#      of the demo workspace to HTML + PDF (the bundled report templates)
#   4. the PNGs: right size, not blank (checked with the standard library only, python -I -S)
#   5. with strace: no AF_INET/AF_INET6 socket is ever opened (the app makes no network use),
#      and no file of the checkout or of the build machine's Python (stdlib, site-packages)
#      is opened: the app is self-contained
# Output (screenshots, logs): build/packaging-check/ (CHECK_OUT=... to change).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
out=${CHECK_OUT:-$repo/build/packaging-check}
python=${PYTHON:-python3}
run_timeout=300

fail() { echo "packaging/check.sh: FAILED: $*" >&2; exit 1; }
step() { echo "== packaging check: $*"; }

[ "$(uname -s)" = Linux ] || fail "runs on Linux only (see packaging/README.md for others)"

# Tools the check uses; the base image has them, a bare Debian gets them from apt (best
# effort: xvfb-run is required below, objdump by build.sh; strace and the validators are optional).
missing=""
command -v xvfb-run >/dev/null 2>&1 || missing="$missing xvfb xauth"
command -v objdump >/dev/null 2>&1 || missing="$missing binutils"
command -v strace >/dev/null 2>&1 || missing="$missing strace"
command -v desktop-file-validate >/dev/null 2>&1 || missing="$missing desktop-file-utils"
if [ -n "$missing" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages:$missing"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends $missing >/dev/null || echo "warning: could not install:$missing" >&2
fi
command -v xvfb-run >/dev/null 2>&1 || fail "xvfb-run is missing (apt-get install xvfb xauth)"

step "build"
start=$(date +%s)
bash packaging/build.sh || fail "the build failed (see the PyInstaller output above)"
build_seconds=$(( $(date +%s) - start ))
size=$(du -sh dist/aam-explorer | cut -f1)

work=$(mktemp -d /tmp/aam-explorer-check.XXXXXX)
trap 'rm -rf "$work"' EXIT
rm -rf "$out" && mkdir -p "$out"
cp -a dist/aam-explorer "$work/app"
mkdir "$work/home"
cd "$work"  # outside the source tree: nothing can be found relative to the checkout
app="$work/app/aam-explorer"
case "$app" in "$repo"/*) fail "the copy is inside the source tree" ;; esac

# Runs the frozen app with an empty environment (plus the display) under a fresh Xvfb.
# With strace, every socket the app (and its children) opens is logged to $out/$1.net.
run_frozen() {
  local name=$1; shift
  local tracer=()
  if command -v strace >/dev/null 2>&1; then
    tracer=("$(command -v strace)" -f -qq -e trace=socket,open,openat,execve
            -o "$out/$name.trace")
  fi
  timeout "$run_timeout" xvfb-run -a -s "-screen 0 1600x1000x24" \
    sh -c 'exec env -i DISPLAY="$DISPLAY" XAUTHORITY="$XAUTHORITY" HOME="$0" "$@"' \
    "$work/home" "${tracer[@]}" "$app" "$@" >"$out/$name.log" 2>&1
}

# The build machine's Python: its stdlib and site-packages folders must never be opened.
python_dirs=$("$python" -c "import sysconfig; p = sysconfig.get_paths();
print('\n'.join(sorted({p['stdlib'], p['platstdlib'], p['purelib'], p['platlib']})))")

check_trace() {
  local name=$1 trace="$out/$1.trace" dir
  [ -f "$trace" ] || return 0
  if grep -E "socket\((AF_INET|AF_INET6|PF_INET)" "$trace"; then
    fail "$name opened a network socket (see $trace)"
  fi
  for dir in "$repo" $python_dirs; do
    if grep -v ENOENT "$trace" | grep -F "\"$dir/"; then
      fail "$name used files from $dir: the build is not self-contained (see $trace)"
    fi
  done
}

check_png() {
  # The system Python in isolated mode without site-packages: the check needs no package.
  "$python" -I -S "$repo/packaging/check_png.py" "$@" || fail "screenshot check: $*"
}

step "version"
run_frozen version --version || { cat "$out/version.log"; fail "aam-explorer --version failed"; }
run_frozen help --help || { cat "$out/help.log"; fail "aam-explorer --help failed"; }
expected=$("$python" -c "import sys; sys.path.insert(0, '$repo'); import explorer; print(explorer.__version__)")
grep -q "$expected" "$out/version.log" \
  || fail "the frozen app reports '$(cat "$out/version.log")', expected version $expected"

step "demo --screenshot (from $work, env -i)"
start=$(date +%s)
run_frozen demo demo --screenshot "$work/demo.png" \
  || { cat "$out/demo.log"; fail "the frozen app's demo screenshot run failed"; }
screenshot_seconds=$(( $(date +%s) - start ))
cp "$work/demo.png" "$out/demo.png"
check_png "$out/demo.png" --min-size 1200x760 --min-colours 64
ls "$work/home/.local/share/aam-config-explorer/"*.aamws >/dev/null 2>&1 \
  || fail "the demo workspace was not created in the temporary HOME"
check_trace demo

step "bundle self-test (all modules import, pyqtgraph draws)"
run_frozen selftest --bundle-self-test "$work/chart.png" \
  || { cat "$out/selftest.log"; fail "the frozen app's self-test failed"; }
cp "$work/chart.png" "$out/chart.png"
check_png "$out/chart.png" --min-size 300x200 --min-colours 8
check_trace selftest

# The annotated snapshot (HTML from the bundled Jinja2 templates, PDF through Qt), when the
# CLI has the command: it proves package data inside explorer/ made it into the bundle.
if grep -qE "^  snapshot " "$out/help.log"; then
  step "snapshot of the demo workspace (HTML + PDF)"
  demo_ws=$(ls "$work/home/.local/share/aam-config-explorer/"*.aamws | head -1)
  run_frozen snapshot snapshot "$demo_ws" --out "$work/snapshot.html" --pdf "$work/snapshot.pdf" \
    || { cat "$out/snapshot.log"; fail "the frozen app's snapshot failed"; }
  [ "$(wc -c <"$work/snapshot.html")" -gt 10000 ] || fail "the snapshot HTML is nearly empty"
  head -c 5 "$work/snapshot.pdf" | grep -q "%PDF-" || fail "the snapshot PDF is not a PDF"
  grep -q "Northwind" "$work/snapshot.html" || fail "the snapshot HTML does not name the tenant"
  cp "$work/snapshot.html" "$work/snapshot.pdf" "$out/"
  check_trace snapshot
fi

step "desktop entry and AppStream metainfo"
for desktop in "$repo"/packaging/linux/*.desktop; do
  if command -v desktop-file-validate >/dev/null 2>&1; then
    desktop-file-validate "$desktop" || fail "$desktop is not valid"
  fi
done
for metainfo in "$repo"/packaging/linux/*.metainfo.xml; do
  if command -v appstreamcli >/dev/null 2>&1; then
    appstreamcli validate --no-net --pedantic "$metainfo" >"$out/appstream.log" 2>&1 \
      || { cat "$out/appstream.log"; fail "$metainfo is not valid"; }
  fi
done

echo "packaging check passed: built in ${build_seconds}s, dist/aam-explorer is $size," \
  "demo screenshot in ${screenshot_seconds}s; screenshots in $out"
