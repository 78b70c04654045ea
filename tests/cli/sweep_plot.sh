#!/usr/bin/env bash
# `spinlab sweep --plot`: an SVG from gnuplot with one curve per value of the
# second param, axes named by the param and the measure, the same bytes every
# time; a run that did not end with exit code 0 is a gap; a missing gnuplot
# is one error line (exit 69) before any run.
#   sweep_plot.sh SPINLAB
set -u
spinlab=$1
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
cd "$tmp" || exit 1

# svg_ok FILE: an SVG document, whole: the XML declaration, one <svg> to
# </svg>, as many <g> as </g>.
svg_ok() {
  head -1 "$1" | grep -q '^<?xml ' || { fail "$1: no XML declaration"; return 1; }
  [ "$(grep -c '^<svg' "$1")" -eq 1 ] && [ "$(grep -v "^$" "$1" | tail -1)" = "</svg>" ] || { fail "$1: not one <svg> ... </svg>"; return 1; }
  [ "$(grep -o '<g[ >]' "$1" | wc -l)" -eq "$(grep -o '</g>' "$1" | wc -l)" ] || { fail "$1: unbalanced <g>"; return 1; }
  if command -v xmllint >/dev/null; then xmllint --noout "$1" || { fail "$1: xmllint"; return 1; }; fi
}
# curves FILE: how many curves gnuplot drew.
curves() { grep -c 'id="gnuplot_plot_[0-9]*"' "$1"; }
# points FILE: the point marks drawn, one per run plotted plus one per curve in the key.
points() { grep -c "<use xlink:href='#gpPt[0-9]*' transform='translate" "$1"; }
# label FILE TEXT: TEXT is one of the picture's texts.
label() { grep -qxF "		<text>$2</text>" "$1" || fail "$1: no label \"$2\""; }

# Two params: x is the first, a curve per value of the second.
"$spinlab" sweep hello --param machine.cost.div=1..101:50 --param machine.harts=1..2 --plot two.svg --csv \
  --jobs 2 >two.csv || fail "two-param sweep failed"
expected='machine.cost.div,machine.harts,exit_code,outcome,cycles,findings
1,1,0,"ok",369129,
1,2,0,"ok",369129,
51,1,0,"ok",370929,
51,2,0,"ok",370929,
101,1,0,"ok",372729,
101,2,0,"ok",372729,'
[ "$(cat two.csv)" = "$expected" ] && ok "two-param CSV, first param outermost" || { fail "two-param CSV:"; cat two.csv; }
svg_ok two.svg && ok "two.svg is an SVG"
[ "$(curves two.svg)" -eq 2 ] && ok "two curves" || fail "two.svg: $(curves two.svg) curves"
[ "$(points two.svg)" -eq 8 ] && ok "3 points a curve" || fail "two.svg: $(points two.svg) point marks, want 2 x (3 + 1)"
for t in "machine.cost.div" "cycles" "machine.harts = 1" "machine.harts = 2" "spinlab sweep hello"; do label two.svg "$t"; done
# The same sweep, run another way, gives the same bytes.
"$spinlab" sweep hello --param machine.cost.div=1..101:50 --param machine.harts=1..2 --plot again.svg \
  --jobs 1 >/dev/null || fail "second sweep failed"
cmp -s two.svg again.svg && ok "the same bytes twice" || fail "two.svg and again.svg differ"
# Each run of a two-param sweep writes its own trace, named by both values.
"$spinlab" sweep hello --param machine.harts=1..2 --param machine.cost.div=1..2 --vcd t.vcd --max-cycles 1000 >/dev/null
for f in t.harts-1.div-1.vcd t.harts-2.div-2.vcd; do [ -s "$f" ] || fail "no $f: $(ls)"; done

# One param: one curve, "cycles"; a run that deadlocks is left out.
"$spinlab" sweep pushoff-order --param firmware.params.timer_phase=150..156:3 --plot one.svg >one.txt
[ $? -eq 1 ] || fail "one-param sweep with deadlocks did not exit 1"
grep -q '^3 runs: 2 deadlock, 1 ok$' one.txt || { fail "pushoff-order sweep:"; cat one.txt; }
svg_ok one.svg && ok "one.svg is an SVG"
[ "$(curves one.svg)" -eq 1 ] && ok "one curve" || fail "one.svg: $(curves one.svg) curves"
[ "$(points one.svg)" -eq 2 ] && ok "the deadlocks are gaps" || fail "one.svg: $(points one.svg) point marks, want 1 + 1"
for t in "firmware.params.timer_phase" "cycles"; do label one.svg "$t"; done
# Nothing to draw: axes, no error.
"$spinlab" sweep pushoff-order --param firmware.params.timer_phase=153..156:3 --plot none.svg >/dev/null
[ $? -eq 1 ] && svg_ok none.svg && ok "every run deadlocked: an empty plot" || fail "empty plot"

# No gnuplot: one line, exit 69, before any run (no table printed).
PATH=/nonexistent "$spinlab" sweep hello --param machine.harts=1..2 --plot np.svg >np.out 2>np.err
code=$?
[ "$code" -eq 69 ] && [ "$(wc -l <np.err)" -eq 1 ] && grep -q "no gnuplot on PATH" np.err && [ ! -s np.out ] &&
  [ ! -e np.svg ] && ok "no gnuplot: $(cat np.err)" || fail "no gnuplot: exit $code, $(cat np.err), stdout $(wc -c <np.out)"
# A plot that cannot be written: exit 66 before any run.
"$spinlab" sweep hello --param machine.harts=1..2 --plot nodir/p.svg >nd.out 2>nd.err
code=$?
[ "$code" -eq 66 ] && [ ! -s nd.out ] && ok "unwritable plot: $(cat nd.err)" || fail "unwritable: exit $code, $(cat nd.err)"
# A plot that fails as it is written (a full disk): exit 66, one line naming
# it, after the table (gnuplot itself says nothing when its write fails).
"$spinlab" sweep hello --param machine.harts=1..2 --plot /dev/full >full.out 2>full.err
code=$?
[ "$code" -eq 66 ] && [ "$(wc -l <full.err)" -eq 1 ] && grep -q "^spinlab: /dev/full: writing the plot failed: No space left on device" full.err &&
  [ -s full.out ] && ok "plot on a full disk: $(cat full.err)" || fail "plot on /dev/full: exit $code, $(cat full.err)"
# At most two params, each once.
"$spinlab" sweep hello --param machine.harts=1..2 --param machine.harts=1..2 2>dup.err
[ $? -eq 64 ] && grep -q "given twice" dup.err && ok "a key twice: exit 64" || fail "a key twice: $(cat dup.err)"
"$spinlab" sweep hello --param machine.harts=1..2 --param machine.cost.div=1..2 --param machine.cost.mul=1..2 2>three.err
[ $? -eq 64 ] && grep -q "at most 2" three.err && ok "three params: exit 64" || fail "three params: $(cat three.err)"

[ "$failures" -eq 0 ] && echo "sweep --plot ok" || { echo "$failures failures"; exit 1; }
