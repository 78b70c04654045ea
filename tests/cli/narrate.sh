#!/usr/bin/env bash
# --narrate (docs/terminal.md, "The narrative"): every narrative and trace
# line in cycle order, even the events the monitor learns late; the
# firmware's lines whole among them; the filters --narrate=LOCK,...,
# --harts and --cycles, on run and on trace; bad filter values get one line
# and exit code 64.
#   narrate.sh SPINLAB
set -u
spinlab=$1
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
narr='^ *[0-9]+ hart[0-9]+ '
insn='^cycle [0-9]+ hart[0-9]+ '

# The cycle of each narrative and instruction-trace line of file $1, in order.
cycles() { awk '/^ *[0-9]+ hart[0-9]+ / { print $1 } /^cycle [0-9]+ hart[0-9]+ / { print $2 }' "$1"; }
# The first line whose cycle is before the line above it, or nothing.
out_of_order() {
  awk '/^ *[0-9]+ hart[0-9]+ / { c = $1 } /^cycle [0-9]+ hart[0-9]+ / { c = $2 }
       /^ *[0-9]+ hart[0-9]+ |^cycle [0-9]+ hart[0-9]+ / { if (n++ && c + 0 < last + 0) { print NR ": " $0 " (after " last ")"; exit } last = c }' "$1"
}
# run NAME ARGS...: spinlab's output in $tmp/NAME.txt, its exit code in $code.
run() {
  local name=$1
  shift
  "$spinlab" "$@" >"$tmp/$name.txt" 2>"$tmp/$name.err"
  code=$?
}
# in_order NAME LEAST: the run's lines are in cycle order, and there are at least LEAST.
in_order() {
  local n
  n=$(cycles "$tmp/$1.txt" | wc -l)
  if [ "$n" -lt "$2" ]; then
    fail "$1: $n narrative lines, expected at least $2"
  elif [ -n "$(out_of_order "$tmp/$1.txt")" ]; then
    fail "$1: out of cycle order at line $(out_of_order "$tmp/$1.txt")"
  else
    ok "$1: $n lines in cycle order"
  fi
}
# bad NAME WORD ARGS...: exit code 64 and one line on stderr containing WORD.
bad() {
  local name=$1 word=$2
  shift 2
  run "$name" "$@"
  if [ "$code" -eq 64 ] && [ "$(wc -l <"$tmp/$name.err")" -eq 1 ] && grep -qF -- "$word" "$tmp/$name.err"; then
    ok "$name: exit 64, $(cat "$tmp/$name.err")"
  else
    fail "$name: exit $code, stderr: $(cat "$tmp/$name.err")"
  fi
}

# --- cycle order -------------------------------------------------------------
# The monitor learns of tickslock's acquire when the handler spins on it,
# after the interrupt was told: the acquire's line still comes first.
run pushoff run pushoff-order --set firmware.params.timer_phase=153 --narrate
in_order pushoff 3
acq=$(grep -nE "$narr"'.* acquire tickslock' "$tmp/pushoff.txt" | head -1 | cut -d: -f1)
irq=$(grep -nE "$narr"'.*enter the handler' "$tmp/pushoff.txt" | head -1 | cut -d: -f1)
if [ -n "$acq" ] && [ -n "$irq" ] && [ "$acq" -lt "$irq" ]; then
  ok "pushoff-order: the acquire (line $acq) before the handler entry (line $irq)"
else
  fail "pushoff-order: the acquire at line '$acq', the handler entry at line '$irq'"
fi
run xv6 run xv6 --narrate
in_order xv6 10
# xv6's acquire calls push_off first: its caller comes from the stack.
n=$(grep -cE "$narr"'.* acquire (outer|inner) at acquire\+' "$tmp/xv6.txt")
bare=$(grep -E "$narr"'.* acquire (outer|inner) at acquire\+' "$tmp/xv6.txt" | grep -v ', called from nest+' | head -1)
[ "$n" -ge 4 ] && [ -z "$bare" ] && ok "xv6: the $n acquires through acquire() say they were called from nest" ||
  fail "xv6: $n acquires; without the caller: $bare"
run other run other-cpu --narrate
in_order other 20
run irqdl run irq-deadlock --narrate
in_order irqdl 5
# A bare --narrate before the target leaves the target alone.
run before run --narrate irq-deadlock
[ "$code" -eq 126 ] && grep -qE "$narr" "$tmp/before.txt" && ok "run --narrate irq-deadlock narrates" ||
  fail "run --narrate irq-deadlock: exit $code: $(cat "$tmp/before.err")"
# With the instruction trace too.
run trace trace other-cpu --narrate --max-cycles 20000
in_order trace 1000
grep -qE "$narr" "$tmp/trace.txt" && ok "trace --narrate has narrative lines" || fail "trace --narrate: no narrative line"

# --- the firmware's lines whole ------------------------------------------------
# Two harts print while the narrative goes on: without the narrative lines,
# the output is the firmware's alone, line for line.
run other_q run other-cpu -q
run other_qn run other-cpu -q --narrate
if diff <(grep -vE "$narr" "$tmp/other_qn.txt") "$tmp/other_q.txt" >"$tmp/uart.diff"; then
  ok "other-cpu: the firmware's $(wc -l <"$tmp/other_q.txt") lines whole among the narrative"
else
  fail "other-cpu: the firmware's lines cut by the narrative:"; head -20 "$tmp/uart.diff"
fi

# --- filters -----------------------------------------------------------------
# --narrate=LOCK: only that lock's acquires, releases and spins.
run lock run irq-deadlock --narrate=tickslock
n=$(grep -cE "$narr" "$tmp/lock.txt")
others=$(grep -E "$narr" "$tmp/lock.txt" | grep -vE ' (acquire|release|spin) .*tickslock' | head -3)
if [ "$n" -ge 3 ] && [ -z "$others" ] && [ "$code" -eq 126 ]; then
  ok "--narrate=tickslock: $n lines, all about tickslock"
else
  fail "--narrate=tickslock: $n lines, exit $code, others: $others"
fi
grep -q DEADLOCK "$tmp/lock.txt" && ok "--narrate=tickslock keeps the finding" || fail "--narrate=tickslock: no finding"
[ ! -s "$tmp/lock.err" ] && ok "--narrate=tickslock: nothing on stderr" || fail "--narrate=tickslock: $(cat "$tmp/lock.err")"
# A symbol that never was a lock: no lines, and a warning that says so.
run nolock run irq-deadlock --narrate=main
[ "$(grep -cE "$narr" "$tmp/nolock.txt")" -eq 0 ] && grep -q 'warning: --narrate: `main` was never taken as a lock' "$tmp/nolock.err" &&
  ok "--narrate=main: no lines, a warning" || fail "--narrate=main: $(cat "$tmp/nolock.err")"
# Two locks by the names the narrative prints.
locks=$(grep -oE ' (acquire|release) [^ ]+' "$tmp/xv6.txt" | awk '{ print $2 }' | sort -u)
two=$(echo "$locks" | head -2 | paste -sd, -)
run two run xv6 --narrate="$two"
want=$(grep -E "$narr" "$tmp/xv6.txt" | grep -cE " (acquire|release|spin) ($(echo "$two" | tr , '|'))( |$)")
got=$(grep -cE "$narr" "$tmp/two.txt")
[ "$got" -eq "$want" ] && [ "$got" -gt 0 ] && ok "--narrate=$two: the $got lines of those locks" ||
  fail "--narrate=$two: $got lines, the full narrative has $want about them"
# --harts: only those harts, and the firmware's output all the same.
run harts run other-cpu --narrate --harts 1
n=$(grep -cE "$narr" "$tmp/harts.txt")
others=$(grep -E "$narr" "$tmp/harts.txt" | grep -vE '^ *[0-9]+ hart1 ' | head -3)
[ "$n" -ge 5 ] && [ -z "$others" ] && ok "--harts 1: $n lines, all hart1" || fail "--harts 1: $n lines; others: $others"
diff <(grep -vE "$narr" "$tmp/harts.txt") <(grep -vE "$narr" "$tmp/other.txt") >/dev/null &&
  ok "--harts 1: the rest of the output unchanged" || fail "--harts 1 changed the output besides the narrative"
# --cycles: only that window.
from=$(cycles "$tmp/other.txt" | sed -n 5p) to=$(cycles "$tmp/other.txt" | sed -n 15p)
run window run other-cpu --narrate --cycles "$from..$to"
want=$(cycles "$tmp/other.txt" | awk -v f="$from" -v t="$to" '$1 >= f && $1 <= t' | wc -l)
got=$(cycles "$tmp/window.txt" | wc -l)
outside=$(cycles "$tmp/window.txt" | awk -v f="$from" -v t="$to" '$1 < f || $1 > t' | head -1)
[ "$got" -eq "$want" ] && [ -z "$outside" ] && ok "--cycles $from..$to: the $got lines in the window" ||
  fail "--cycles $from..$to: $got lines (wanted $want), outside: $outside"
# spinlab trace: --harts and --cycles filter the instruction lines.
run trace_h trace other-cpu --harts 1 --max-cycles 5000
n=$(grep -cE "$insn" "$tmp/trace_h.txt")
others=$(grep -E "$insn" "$tmp/trace_h.txt" | grep -vE '^cycle [0-9]+ hart1 ' | head -1)
[ "$n" -ge 100 ] && [ -z "$others" ] && ok "trace --harts 1: $n lines, all hart1" || fail "trace --harts 1: $n lines; other: $others"
run trace_c trace other-cpu --cycles 2000..2100 --max-cycles 5000
range=$(cycles "$tmp/trace_c.txt" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print NR, lo, hi }')
read -r n lo hi <<<"$range"
[ "$n" -ge 20 ] && [ "$lo" -ge 2000 ] && [ "$hi" -le 2100 ] && ok "trace --cycles 2000..2100: $n lines, $lo..$hi" ||
  fail "trace --cycles 2000..2100: $n lines, $lo..$hi"
run trace_hn trace other-cpu --narrate --harts 0 --max-cycles 20000
in_order trace_hn 500
others=$(grep -E "$narr|$insn" "$tmp/trace_hn.txt" | grep -vE '^ *[0-9]+ hart0 |^cycle [0-9]+ hart0 ' | head -1)
[ -z "$others" ] && ok "trace --narrate --harts 0: hart0 alone" || fail "trace --narrate --harts 0: $others"

# --- bad values ----------------------------------------------------------------
bad lock_typo "did you mean \`tickslock\`" run irq-deadlock --narrate=tickslok
bad lock_empty "--narrate" run irq-deadlock --narrate=tickslock,
bad harts_range "no hart 2" run other-cpu --narrate --harts 2
bad harts_word "--harts" run other-cpu --narrate --harts one
bad cycles_back "FROM is after TO" run other-cpu --narrate --cycles 500..100
bad cycles_word "--cycles" run other-cpu --narrate --cycles 100-500
bad trace_harts "no hart 7" trace other-cpu --harts 7
bad alone "add --narrate" run other-cpu --harts 1

[ "$failures" -eq 0 ] && echo "all passed" || { echo "$failures failed"; exit 1; }
