#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer harnesses with clang (ASan + UBSan) in build-fuzz and
# runs each for a short time on its seed corpus. Usage:
#   tests/fuzz-short.sh [SECONDS]      (default 20 per harness)
# A crash, a leak or a failed check stops with a non-zero status and leaves
# the input as build-fuzz/crash-* for a test.
set -eu

seconds=${1:-20}
src=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD:-$src/build-fuzz}

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$src" -Dfuzzing=true -Dtests=false -Db_lundef=false \
    -Db_sanitize=address,undefined -Dbuildtype=debugoptimized
fi
ninja -C "$build" fuzz/fuzz-pytorch fuzz/fuzz-document

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

for name in pytorch document; do
  work=$(mktemp -d)
  # The seeds stay untouched; new inputs go to a scratch corpus.
  echo "fuzz-$name: ${seconds}s"
  (cd "$build" && "./fuzz/fuzz-$name" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
     -dict="$src/fuzz/$name.dict" -print_final_stats=1 "$work" "$src/tests/corpus/$name" \
     2>"$work.log") || { tail -n 60 "$work.log"; rm -rf "$work" "$work.log"; exit 1; }
  grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "$work.log" || true
  rm -rf "$work" "$work.log"
done
echo "fuzz: no crash, leak or failed check"
