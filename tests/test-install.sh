#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `meson install` into a DESTDIR: every file lands, and the installed binary runs.
# Usage: test-install.sh BUILD_DIR PREFIX BINDIR DATADIR APP_ID [SOURCE_DIR]
set -eu
build=$1 prefix=$2 bindir=$3 datadir=$4 app_id=$5

dest=$(mktemp -d "${TMPDIR:-/tmp}/nns-install-XXXXXX")
trap 'rm -rf "$dest"' EXIT INT TERM

# --no-rebuild: the test runner has just built; a nested ninja would fight over the lock.
meson install -C "$build" --no-rebuild --quiet --destdir "$dest" >"$dest.log" 2>&1 ||
  { cat "$dest.log"; rm -f "$dest.log"; echo "meson install failed"; exit 1; }
rm -f "$dest.log"

root=$dest$prefix
case $bindir in /*) bin=$dest$bindir ;; *) bin=$root/$bindir ;; esac
case $datadir in /*) data=$dest$datadir ;; *) data=$root/$datadir ;; esac

status=0
for f in \
  "$bin/nnsketch" \
  "$data/applications/$app_id.desktop" \
  "$data/metainfo/$app_id.metainfo.xml" \
  "$data/mime/packages/$app_id.xml" \
  "$data/glib-2.0/schemas/$app_id.gschema.xml" \
  "$data/icons/hicolor/scalable/apps/$app_id.svg" \
  "$data/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
do
  if [ -s "$f" ]; then echo "ok: ${f#"$dest"}"; else echo "MISSING: ${f#"$dest"}"; status=1; fi
done
# With SOURCE_DIR: every language in po/LINGUAS installs its catalog.
if [ $# -ge 6 ]; then
  for lang in $(sed 's/#.*//' "$6/po/LINGUAS"); do
    f=$data/locale/$lang/LC_MESSAGES/nnsketch.mo
    if [ -s "$f" ]; then echo "ok: ${f#"$dest"}"; else echo "MISSING: ${f#"$dest"}"; status=1; fi
  done
fi
[ -x "$bin/nnsketch" ] || { echo "not executable: $bin/nnsketch"; exit 1; }
[ $status = 0 ] || exit 1

# The installed files agree with each other.
grep -qx "Exec=nnsketch %f" "$data/applications/$app_id.desktop"
grep -qx "Icon=$app_id" "$data/applications/$app_id.desktop"
grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$data/metainfo/$app_id.metainfo.xml"
glib-compile-schemas --strict --dry-run "$data/glib-2.0/schemas"

# The installed binary runs, with no display.
version=$(env -u DISPLAY -u WAYLAND_DISPLAY "$bin/nnsketch" --version)
echo "$version"
[ "$version" = "nnsketch $(meson introspect "$build" --projectinfo | sed -n 's/.*"version": "\([^"]*\)".*/\1/p')" ] ||
  { echo "unexpected --version output"; exit 1; }
summary=$(env -u DISPLAY -u WAYLAND_DISPLAY "$bin/nnsketch" --summary --layers=8,4,2)
echo "$summary"
# The lesson's network: 4·(8+1) + 2·(4+1) = 46 parameters.
echo "$summary" | grep -q "46 parameters" || { echo "the summary does not say 46 parameters"; exit 1; }
echo "install test passed"
