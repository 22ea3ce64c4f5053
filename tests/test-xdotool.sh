#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the real nnsketch on the X display, selects a neuron with the keyboard
# to find where it is drawn, then clicks it with the pointer and checks the
# screen shows the same selection. Exit 77 (skip) without X or tools.
set -eu

if [ -z "${DISPLAY:-}" ]; then
  echo "test-xdotool: skipped, no DISPLAY (run under Xvfb: make test)"
  exit 77
fi
for tool in xdotool import python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "test-xdotool: skipped, $tool is not installed"
    exit 77
  fi
done

dir=$(mktemp -d)
pid=
cleanup () {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  [ -n "${KEEP:-}" ] && cp "$dir"/*.ppm /tmp/ || true
  rm -rf "$dir"
}
trap cleanup EXIT

"$NNSKETCH" --layers=10,18,20,5 >"$dir/log" 2>&1 &
pid=$!

wid=$(timeout 15 xdotool search --sync --onlyvisible --name "NN Sketch" | head -n 1)
[ -n "$wid" ] || { echo "no NN Sketch window"; cat "$dir/log"; exit 1; }
xdotool windowfocus --sync "$wid" || true
sleep 1

shot () {
  xdotool mousemove 0 0
  sleep 0.3
  import -window root -depth 8 "ppm:$dir/$1.ppm"
}

shot plain
# The canvas has the focus: Right selects the first input neuron.
xdotool key Right
sleep 0.4
shot keyboard
xdotool key Escape
sleep 0.4
shot cleared

# Where is the selected neuron? It is filled with the accent colour: the
# densest spot of pixels that turned blue.
center=$(python3 - "$dir" <<'PY'
import sys
d = sys.argv[1]
def read(name):
    data = open(f"{d}/{name}.ppm", "rb").read()
    magic, size, maxval, pixels = data.split(b"\n", 3)
    w, h = map(int, size.split())
    return w, h, pixels
def blue(p, i):
    r, g, b = p[i], p[i + 1], p[i + 2]
    return b > 150 and b > r + 80
w, h, a = read("plain")
_, _, b = read("keyboard")
s = [[0] * (w + 1) for _ in range(h + 1)]
for y in range(h):
    row = 0
    prev, cur = s[y], s[y + 1]
    for x in range(w):
        i = 3 * (y * w + x)
        row += blue(b, i) and not blue(a, i)
        cur[x + 1] = prev[x + 1] + row
best, bx, by = -1, 0, 0
r = 4
for y in range(r, h - r - 1):
    for x in range(r, w - r - 1):
        v = s[y + r + 1][x + r + 1] - s[y - r][x + r + 1] - s[y + r + 1][x - r] + s[y - r][x - r]
        if v > best:
            best, bx, by = v, x, y
print(bx, by, best)
PY
)
set -- $center
echo "selected neuron drawn at $1,$2 ($3 changed pixels around it)"
[ "$3" -ge 60 ] || { echo "keyboard selection did not show"; exit 1; }

xdotool mousemove "$1" "$2" click 1
sleep 0.4
shot clicked

python3 - "$dir" <<'PY'
import sys
d = sys.argv[1]
def read(name):
    data = open(f"{d}/{name}.ppm", "rb").read()
    return data.split(b"\n", 3)[3]
def diff(p, q):
    return sum(1 for i in range(0, len(p), 3) if p[i:i + 3] != q[i:i + 3])
plain, keyboard, cleared, clicked = (read(n) for n in ("plain", "keyboard", "cleared", "clicked"))
print("keyboard vs plain:", diff(keyboard, plain))
print("cleared vs plain:", diff(cleared, plain))
print("clicked vs cleared:", diff(clicked, cleared))
print("clicked vs keyboard:", diff(clicked, keyboard))
assert diff(keyboard, plain) > 5000, "selecting did not change the drawing"
assert diff(cleared, plain) < 200, "Escape did not clear the selection"
assert diff(clicked, cleared) > 5000, "the click did not select"
assert diff(clicked, keyboard) < 200, "the click selected another neuron"
PY
kill "$pid"
wait "$pid" 2>/dev/null || true
pid=
echo "ok"
