#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Translations: po/POTFILES.in names every source and ui file that has user-visible
# strings, and only files that exist; xgettext extracts from every kind of file; every
# language in po/LINGUAS has a .po that msgfmt accepts. Usage: test-data.sh SOURCE_DIR
set -eu
cd "$1"
status=0
listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d')
for f in $listed; do
  [ -f "$f" ] || { echo "po/POTFILES.in lists $f, which does not exist"; status=1; }
done
for f in $(grep -lE '(^|[^A-Za-z0-9_])(N?_|C_|NC_|g_dngettext|ngettext) ?\(' src/*.c src/core/*.c 2>/dev/null) \
         $(grep -l 'translatable="yes"' ui/*.ui ui/*/*.ui 2>/dev/null); do
  echo "$listed" | grep -qx "$f" || { echo "$f has translatable strings but is not in po/POTFILES.in"; status=1; }
done
[ $status = 0 ] || exit 1
echo "po/POTFILES.in is complete ($(echo "$listed" | wc -l) files)"

# The arguments of meson's i18n.gettext(preset: 'glib') that matter for extraction.
pot=$(mktemp "${TMPDIR:-/tmp}/nns-pot-XXXXXX")
trap 'rm -f "$pot"' EXIT INT TERM
xgettext --from-code=UTF-8 --add-comments --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
  --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 --files-from=po/POTFILES.in -o "$pot" 2>/dev/null
# One string from each kind of file: desktop, metainfo, schema, MIME, C, ui (with context).
for msgid in 'msgid "Draw fully connected neural networks and count their parameters"' \
             'msgid "Draw neural networks and count their parameters"' \
             'msgid "Neurons drawn per layer"' \
             'msgid "NN Sketch network"' \
             'msgid "Diagram style reset"' \
             'msgid "Neuron Spacing"'; do
  grep -qF "$msgid" "$pot" || { echo "xgettext did not extract $msgid"; status=1; }
done
grep -q 'msgctxt "shortcut window"' "$pot" || { echo "no shortcut window strings extracted"; status=1; }
echo "xgettext: $(grep -c '^msgid ' "$pot") strings"

for lang in $(sed 's/#.*//' po/LINGUAS); do
  msgfmt --check -o /dev/null "po/$lang.po" || { echo "po/$lang.po does not compile"; status=1; }
  echo "$lang: $(msgfmt --statistics -o /dev/null "po/$lang.po" 2>&1)"
done
exit $status
