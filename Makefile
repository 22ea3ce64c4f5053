# SPDX-License-Identifier: GPL-3.0-or-later
# make run   — install what is missing, build, open NN Sketch
# make test  — install what is missing, build, run every test headless

BUILD      ?= build
ASAN_BUILD ?= build-asan
SHELL      := /bin/bash
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian 12 packages the build, the tests and the app need. Installed without
# recommends, so whatever a recommend would bring is named here: libgtk-4-bin
# (gtk4-update-icon-cache for meson's post-install), librsvg2-common (GTK's
# SVG icons; a missing icon is a fatal warning in the GUI tests).
DEB_PACKAGES := meson ninja-build pkg-config gcc clang libglib2.0-dev libgtk-4-dev \
	libadwaita-1-dev libjson-glib-dev libcairo2-dev libpng-dev libcmocka-dev gettext \
	desktop-file-utils appstream libglib2.0-bin xvfb xauth xdotool imagemagick \
	librsvg2-bin poppler-utils libxml2-utils dbus fonts-cantarell adwaita-icon-theme \
	libclang-rt-14-dev libgtk-4-bin librsvg2-common shared-mime-info python3 \
	libonnx-dev protobuf-c-compiler libprotobuf-c-dev \
	libopenblas-dev dataset-fashion-mnist

.PHONY: all deps build run test test-asan clean bench

all: build

deps:
	@missing=$$(dpkg-query -W -f='$${db:Status-Abbrev} $${Package}\n' $(DEB_PACKAGES) 2>/dev/null \
	  | awk '$$1 == "ii" { print $$2 }' | sort > .deps-have; \
	  for p in $(DEB_PACKAGES); do grep -qx "$$p" .deps-have || printf '%s ' "$$p"; done); \
	rm -f .deps-have; \
	if [ -n "$$missing" ]; then \
	  echo "Installing: $$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BUILD)/build.ninja:
	meson setup $(BUILD)

build: deps $(BUILD)/build.ninja
	meson compile -C $(BUILD)

run: build
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
	  echo "make run: no display (DISPLAY and WAYLAND_DISPLAY are unset). Without one, try:"; \
	  echo "  $(BUILD)/src/nnsketch --summary --layers=10,18,20,5"; \
	  echo "  $(BUILD)/src/nnsketch --layers=10,18,20,5 --export-filename=network.png"; \
	  exit 1; \
	fi
	GSETTINGS_SCHEMA_DIR=$(BUILD)/data $(BUILD)/src/nnsketch $(ARGS)

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug

# The core tests again under AddressSanitizer and UndefinedBehaviorSanitizer.
test-asan: deps $(ASAN_BUILD)/build.ninja
	meson compile -C $(ASAN_BUILD)
	ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  meson test -C $(ASAN_BUILD) --suite core --print-errorlogs
	@# The GUI under ASan/UBSan too, for memory errors; GTK and fontconfig keep
	@# caches to exit, so leaks are checked in the core suite only.
	ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  xvfb-run -a -s "-screen 0 1600x1000x24 -noreset" meson test -C $(ASAN_BUILD) --suite gui --print-errorlogs

# A short libFuzzer run of the PyTorch importer and the document loader.
FUZZ_SECONDS ?= 10

test: build test-asan
	tests/fuzz-short.sh $(FUZZ_SECONDS)
	set -o pipefail; xvfb-run -a -s "-screen 0 1600x1000x24 -noreset" meson test -C $(BUILD) --print-errorlogs \
	  | tee $(BUILD)/test-summary.txt
	@awk '/^Ok:/ { ok = $$2 } /^Fail:/ { fail = $$2 } /^Timeout:/ { fail += $$2 } \
	  END { printf "tests: %d passed, %d failed\n", ok, fail }' $(BUILD)/test-summary.txt

bench: build
	meson compile -C $(BUILD) nns-bench && $(BUILD)/bench/nns-bench

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz

# Every reader's libFuzzer harness (clang, ASan + UBSan), longer, growing the
# corpus in fuzz/corpus/NAME and minimising it (-merge=1) for a commit:
#   make fuzz FUZZ_SECONDS=600            (each harness in turn)
#   make fuzz FUZZ_RUNS=10000000 FUZZ_ONLY=document
.PHONY: fuzz
fuzz: deps
	FUZZ_GROW=1 FUZZ_RUNS=$(FUZZ_RUNS) nice -n 10 tests/fuzz-short.sh $(FUZZ_SECONDS) $(FUZZ_ONLY)
