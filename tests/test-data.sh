#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# po/POTFILES.in names every source and ui file that has user-visible strings, and only
# files that exist. Usage: test-data.sh SOURCE_DIR
set -eu
cd "$1"
status=0
listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d')
for f in $listed; do
  [ -f "$f" ] || { echo "po/POTFILES.in lists $f, which does not exist"; status=1; }
done
for f in $(grep -lE '(^|[^A-Za-z0-9_])(N?_|C_|NC_|g_dngettext|ngettext) \(' src/*.c src/core/*.c 2>/dev/null) \
         $(grep -l 'translatable="yes"' ui/*.ui ui/*/*.ui 2>/dev/null); do
  echo "$listed" | grep -qx "$f" || { echo "$f has translatable strings but is not in po/POTFILES.in"; status=1; }
done
[ $status = 0 ] && echo "po/POTFILES.in is complete ($(echo "$listed" | wc -l) files)"
exit $status
