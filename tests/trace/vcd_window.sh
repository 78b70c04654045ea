#!/bin/bash
# --vcd-window FROM..TO and trace.window (docs/tracing.md): a run of
# irq-deadlock traced whole and traced over a window must agree, signal by
# signal, at every time inside the window, starting with the values at
# FROM; the windowed file starts at #FROM, ends at #TO, is much smaller and
# reads back through GTKWave's vcd2fst/fst2vcd; its save file opens inside
# the window (GTKWave itself opens it when SCREENSHOT_SH is given). A bad
# window is one line naming the option or the key.
#
#   vcd_window.sh SPINLAB VCD2FST FST2VCD WORKDIR [SCREENSHOT_SH]
set -u
here=$(dirname "$0")
. "$here/vcd_lib.sh"

(( $# >= 4 )) || { echo "usage: vcd_window.sh SPINLAB VCD2FST FST2VCD WORKDIR [SCREENSHOT_SH]" >&2; exit 2; }
spinlab=$1 vcd2fst=$2 fst2vcd=$3 dir=$4 screenshot=${5:-}
rm -rf "$dir" && mkdir -p "$dir" || exit 2
cd "$dir" || exit 2
from=9000 to=10300

"$spinlab" run irq-deadlock --vcd full.vcd > full.out 2> full.err
[ $? = 126 ] || fail "irq-deadlock (whole) did not deadlock: $(cat full.err)"
"$spinlab" run irq-deadlock --vcd win.vcd --vcd-window $from..$to > win.out 2> win.err
[ $? = 126 ] || fail "irq-deadlock (window) did not deadlock: $(cat win.err)"
[ ! -s win.err ] || fail "spinlab wrote to stderr: $(cat win.err)"
# The same run either way: only the trace differs.
diff <(grep -v 'VCD trace' full.out) <(grep -v 'VCD trace' win.out) > /dev/null || fail "the window changed the run's output"

[ "$(grep -m1 '^#' win.vcd)" = "#$from" ] || fail "the windowed trace starts at $(grep -m1 '^#' win.vcd), not #$from"
[ "$(grep '^#' win.vcd | tail -1)" = "#$to" ] || fail "the windowed trace ends at $(grep '^#' win.vcd | tail -1), not #$to"
full=$(stat -c %s full.vcd) win=$(stat -c %s win.vcd)
(( win * 4 < full )) || fail "the windowed trace is $win bytes, the whole one $full: not much smaller"

# Every signal's value at every time of the window (and at FROM, the
# values the cycles before left) is the whole trace's value then.
# (clint.mtime is exact only at the times written: checked on its own below.)
states() {  # FILE: "time signal value": the state at FROM, then the changes up to TO
  vcd_normalized "$1" | grep -v ' clint.mtime ' | sort -s -n -k1,1 | awk -v a=$from -v b=$to '
    { if ($1 <= a) { v[$2] = $3; next } if ($1 > b) next; print $1, $2, $3 }
    END { for (s in v) print a, s, v[s] }' | LC_ALL=C sort
}
states full.vcd > full.states
states win.vcd > win.states
[ "$(wc -l < win.states)" -gt 100 ] || fail "the window holds $(wc -l < win.states) values"
# The whole trace may repeat a value at FROM that the window writes once: compare the state, not the lines.
collapse() { awk '{ if (last[$2] == $3 && $1 != '$from') next; last[$2] = $3; print }' "$1"; }
diff <(collapse full.states) <(collapse win.states) > states.diff ||
  fail "the window disagrees with the whole trace: $(head -5 states.diff)"
[ "$(vcd_changes win.vcd clint.mtime | head -1)" = "$from $(awk -v n=$((from / 10)) 'BEGIN { while (n > 0) { s = n % 2 s; n = int(n / 2) } print s }')" ] ||
  fail "clint.mtime at $from is $(vcd_changes win.vcd clint.mtime | head -1), not $((from / 10)) (binary)"
check_with_gtkwave win.vcd "$vcd2fst" "$fst2vcd" .

# The save file opens inside the window, its markers too.
timestart=$(sed -n 's/^\[timestart\] //p' win.gtkw)
(( timestart >= from * 10 && timestart < to * 10 )) || fail "win.gtkw starts at $timestart, outside the window"
for t in $(grep '^\*' win.gtkw | cut -d' ' -f2-); do
  [ "$t" = -1 ] || (( t >= from * 10 && t <= to * 10 )) || fail "win.gtkw has a marker at $t, outside the window"
done
if [ -n "$screenshot" ]; then
  printf 'puts "check: window [gtkwave::getWindowStartTime] [gtkwave::getWindowEndTime]"\n' > check.tcl
  timeout 60 "$screenshot" --tcl "$dir/check.tcl" --log win.log win.png win.vcd win.gtkw 2> shot.err ||
    fail "GTKWave did not open the windowed trace: $(cat shot.err)"
  read -r start _ < <(sed -n 's/^check: window //p' win.log)
  [ "$start" = "$timestart" ] || fail "GTKWave opened the windowed trace at $start, the save file says $timestart"
fi

# Bad windows: one line naming the option or the key.
"$spinlab" run irq-deadlock --vcd bad.vcd --vcd-window 10..5 > bad.out 2> bad.err
code=$?
[ $code = 64 ] || fail "--vcd-window 10..5 exited $code, expected 64"
[ "$(wc -l < bad.err)" = 1 ] && grep -q -- '--vcd-window' bad.err || fail "--vcd-window 10..5 said: $(cat bad.err)"
"$spinlab" run irq-deadlock --vcd bad.vcd --set trace.window=10-20 > bad.out 2> bad.err
code=$?
[ $code = 65 ] || fail "trace.window=10-20 exited $code, expected 65"
[ "$(wc -l < bad.err)" = 1 ] && grep -q 'trace.window' bad.err || fail "trace.window=10-20 said: $(cat bad.err)"
exit 0
