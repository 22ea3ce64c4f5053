#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer harnesses with clang (ASan + UBSan) in build-fuzz and
# runs every reader's harness (fuzz/fuzz-NAME.c, corpus fuzz/corpus/NAME,
# dictionary fuzz/NAME.dict when there is one). Usage:
#   tests/fuzz-short.sh [SECONDS [NAME...]]   (default 20 s per harness)
# By default the committed corpus stays untouched and new inputs go to a
# scratch folder (make test). With FUZZ_GROW=1 (make fuzz) new inputs are
# kept in fuzz/corpus/NAME, which is then minimised with -merge=1 so only
# inputs that add coverage remain, ready to commit. FUZZ_RUNS=N stops each
# harness after N executions instead of after SECONDS.
# A crash, a leak or a failed check stops with a non-zero status and leaves
# the input as build-fuzz/crash-* for a test.
set -eu

seconds=${1:-20}
[ $# -gt 0 ] && shift
src=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD:-$src/build-fuzz}
grow=${FUZZ_GROW:-0}

if [ $# -gt 0 ]; then
  names="$*"
else
  names=$(cd "$src/fuzz" && ls fuzz-*.c | sed 's/^fuzz-//; s/\.c$//')
fi

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$src" -Dfuzzing=true -Dtests=false -Db_lundef=false \
    -Db_sanitize=address,undefined -Dbuildtype=debugoptimized
fi
targets=
for name in $names; do targets="$targets fuzz/fuzz-$name"; done
# shellcheck disable=SC2086
ninja -C "$build" $targets

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

for name in $names; do
  corpus=$src/fuzz/corpus/$name
  mkdir -p "$corpus"
  work=$(mktemp -d)
  dict=
  [ -f "$src/fuzz/$name.dict" ] && dict=-dict=$src/fuzz/$name.dict
  limit=-max_total_time=$seconds
  what="${seconds}s"
  if [ -n "${FUZZ_RUNS:-}" ]; then limit=-runs=$FUZZ_RUNS; what="$FUZZ_RUNS runs"; fi
  if [ "$grow" = 1 ]; then
    dirs="$corpus"
    echo "fuzz-$name: $what, growing fuzz/corpus/$name"
  else
    # The seeds stay untouched; new inputs go to a scratch corpus.
    dirs="$work $corpus"
    echo "fuzz-$name: $what"
  fi
  # shellcheck disable=SC2086
  (cd "$build" && "./fuzz/fuzz-$name" $limit -max_len=4096 -timeout=10 $dict \
     -print_final_stats=1 $dirs 2>"$work.log") \
    || { tail -n 60 "$work.log"; rm -rf "$work" "$work.log"; exit 1; }
  grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "$work.log" || true
  # libFuzzer's last status line: cov (edges) and ft (features) reached.
  grep -E "^#[0-9]+" "$work.log" | tail -n 1 || true
  if [ "$grow" = 1 ]; then
    # Minimise: the named seeds (readable test inputs, past crashes) stay;
    # of the generated inputs only those that add coverage to them remain.
    merged=$(mktemp -d)
    find "$corpus" -maxdepth 1 -type f -regextype posix-extended ! -regex '.*/[0-9a-f]{40}' -exec cp {} "$merged" \;
    (cd "$build" && "./fuzz/fuzz-$name" -merge=1 -max_len=4096 -timeout=10 "$merged" "$corpus" \
       2>"$work.log") || { tail -n 30 "$work.log"; rm -rf "$work" "$work.log" "$merged"; exit 1; }
    grep -E "MERGE-OUTER: [0-9]+ new files" "$work.log" || true
    find "$corpus" -maxdepth 1 -type f -regextype posix-extended -regex '.*/[0-9a-f]{40}' -delete
    find "$merged" -maxdepth 1 -type f -regextype posix-extended -regex '.*/[0-9a-f]{40}' -exec cp {} "$corpus" \;
    rm -rf "$merged"
    echo "fuzz/corpus/$name: $(ls "$corpus" | wc -l) inputs"
  fi
  rm -rf "$work" "$work.log"
done
echo "fuzz: no crash, leak or failed check"
