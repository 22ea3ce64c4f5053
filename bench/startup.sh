#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Startup time and memory of the real window (the aim: first drawn frame in
# at most 300 ms, resident memory at most 100 MB with the MNIST network shown).
#
#   bench/startup.sh [NNSKETCH [RUNS]]     (default build/src/nnsketch, 15 runs)
#
# Each run starts nnsketch with NNS_PROFILE=quit: the canvas prints, after the
# frame clock's first "after-paint" following the first snapshot that drew,
# the time since NNS_PROFILE_START (set here just before exec) and VmRSS, and
# the app quits. Uses $DISPLAY, or starts its own Xvfb (1600 × 1000) if unset.
# Prints median [min–max] per network and renderer.
set -eu

NNSKETCH=${1:-build/src/nnsketch}
RUNS=${2:-15}
BUILD_DIR=$(dirname "$(dirname "$NNSKETCH")")

if [ -z "${DISPLAY:-}" ]; then
  for n in $(seq 90 99); do
    [ -e /tmp/.X11-unix/X$n ] || { DISPLAY_NUM=$n; break; }
  done
  Xvfb ":$DISPLAY_NUM" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
  XVFB_PID=$!
  trap 'kill $XVFB_PID' EXIT
  export DISPLAY=":$DISPLAY_NUM"
  sleep 1
fi

export GTK_A11Y=none NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory
export GSETTINGS_SCHEMA_DIR="$BUILD_DIR/data"

# median [min-max] of the numbers on stdin
stats () {
  sort -n | awk '{ v[NR] = $1 } END {
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
    printf "%7.1f [%.1f-%.1f]", m, v[1], v[NR] }'
}

run () {  # label renderer args...
  label=$1; renderer=$2; shift 2
  times=$(mktemp); rss=$(mktemp)
  for i in $(seq "$RUNS"); do
    line=$(env ${renderer:+GSK_RENDERER=$renderer} NNS_PROFILE=quit \
             NNS_PROFILE_START=$(date +%s%6N) "$NNSKETCH" "$@" 2>/dev/null | grep '^nns-profile:')
    echo "$line" | sed -n 's/.*first-frame-ms=\([0-9.]*\).*/\1/p' >> "$times"
    echo "$line" | sed -n 's/.*rss-kb=\([0-9]*\).*/\1/p' | awk '{ print $1 / 1024 }' >> "$rss"
  done
  printf '%-32s %-8s first frame ms %s   RSS MB %s\n' "$label" "${renderer:-default}" \
    "$(stats < "$times")" "$(stats < "$rss")"
  rm -f "$times" "$rss"
}

echo "nnsketch startup: $RUNS runs each, median [min-max]"
# default: what nnsketch picks itself (cairo, no GL; see src/main.c);
# gl: GTK's GL renderer, as a user would get with GSK_RENDERER=gl.
for renderer in "" gl cairo; do
  run "default (10,18,20,5)" "$renderer"
  run "784,256,128,10 show all" "$renderer" --layers=784,256,128,10 --show-all-neurons
done
