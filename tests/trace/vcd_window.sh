#!/bin/bash
# --vcd-window FROM..TO and trace.window (docs/tracing.md): a run of
# irq-deadlock, and of test-and-set at 8 harts, traced whole and traced
# over a window must agree, signal by signal, at every time inside the
# window, starting with the values at FROM; the windowed file starts at #FROM, ends at #TO, is much smaller and
# reads back through GTKWave's vcd2fst/fst2vcd; its save file opens inside
# the window (GTKWave itself opens it when SCREENSHOT_SH is given), with
# markers at the interrupts inside it however many came before. A bad
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
states() {  # FILE FROM TO: "time signal value": the state at FROM, then the changes up to TO
  vcd_normalized "$1" | grep -v ' clint.mtime ' | sort -s -n -k1,1 | awk -v a="$2" -v b="$3" '
    { if ($1 <= a) { v[$2] = $3; next } if ($1 > b) next; print $1, $2, $3 }
    END { for (s in v) print a, s, v[s] }' | LC_ALL=C sort
}
# agrees NAME WHOLE WINDOWED FROM TO: the windowed trace is the whole one's
# slice. The whole trace may repeat a value at FROM that the window writes
# once: the state is compared, not the lines.
agrees() {
  local name=$1 whole=$2 windowed=$3 a=$4 b=$5
  states "$whole" "$a" "$b" > "$name.whole.states"
  states "$windowed" "$a" "$b" > "$name.win.states"
  [ "$(wc -l < "$name.win.states")" -gt 100 ] || fail "$name: the window holds $(wc -l < "$name.win.states") values"
  collapse() { awk -v a="$a" '{ if (last[$2] == $3 && $1 != a) next; last[$2] = $3; print }' "$1"; }
  diff <(collapse "$name.whole.states") <(collapse "$name.win.states") > "$name.diff" ||
    fail "$name: the window disagrees with the whole trace: $(head -5 "$name.diff")"
}
agrees irq-deadlock full.vcd win.vcd $from $to
# Eight harts taking one test-and-set lock: most values come out of time
# order (a hart's wait for the bus is dated ahead of the others' steps), and
# the cycles before the window keep each signal's latest at once.
tas=(run test-and-set --set machine.harts=8 --max-cycles 60000)
"$spinlab" "${tas[@]}" --vcd tas.vcd > tas.out 2> tas.err
[ $? = 124 ] || fail "test-and-set at 8 harts did not run to its cycle limit: $(cat tas.err)"
"$spinlab" "${tas[@]}" --vcd tas.win.vcd --vcd-window 30001..40000 > tas.win.out 2> tas.win.err
[ $? = 124 ] || fail "test-and-set at 8 harts (window) did not run to its cycle limit: $(cat tas.win.err)"
agrees test-and-set tas.vcd tas.win.vcd 30001 40000
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

# The save file keeps the first 256 interrupts taken in the window: a
# window after more than that many (global-cli takes some 600 before cycle
# 250000) still has markers at its own.
"$spinlab" run global-cli --vcd gcli.vcd --vcd-window 250000..260000 > gcli.out 2> gcli.err ||
  fail "global-cli (window) failed: $(cat gcli.err)"
grep -q '^\[markername\] [A-Z]hart[0-9]* .* interrupt$' gcli.gtkw || fail "gcli.gtkw has no interrupt marker in the window"
for t in $(grep '^\*' gcli.gtkw | cut -d' ' -f2-); do
  [ "$t" = -1 ] || (( t >= 2500000 && t <= 2600000 )) || fail "gcli.gtkw has a marker at $t, outside the window"
done

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
