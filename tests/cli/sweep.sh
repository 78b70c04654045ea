#!/usr/bin/env bash
# `spinlab sweep` runs once per value and reports each outcome: the cycle
# limit below the program's length, success at and above it.
#   sweep.sh SPINLAB
set -eu
spinlab=$1
# A run that hit the cycle limit fails the sweep (exit 1); the table says which.
csv=$("$spinlab" sweep hello --param run.max_cycles=100000..400000:100000 --csv --jobs 2) && rc=0 || rc=$?
[ "$rc" -eq 1 ] || { echo "FAIL: a sweep with cycle-limit runs exited $rc, want 1"; exit 1; }
expected='run.max_cycles,exit_code,outcome,cycles,findings
100000,124,"cycle limit",100000,
200000,124,"cycle limit",200000,
300000,124,"cycle limit",300000,
400000,0,"ok",370281,'
if [ "$csv" != "$expected" ]; then
  echo "FAIL: sweep CSV:"; echo "$csv"; echo "expected:"; echo "$expected"; exit 1
fi
table=$("$spinlab" sweep hello --param machine.harts=1..3)
echo "$table"
echo "$table" | grep -q '^3 runs: 3 ok$' || { echo "FAIL: table summary"; exit 1; }
# A bad key is one error before any run, not one per run.
if "$spinlab" sweep hello --param machine.hartz=1..3 2>err.txt; then echo "FAIL: bad key accepted"; exit 1; fi
grep -q "did you mean \`machine.harts\`" err.txt || { echo "FAIL: no suggestion"; cat err.txt; exit 1; }
[ "$(wc -l <err.txt)" -eq 1 ] || { echo "FAIL: more than one error line"; exit 1; }
if "$spinlab" sweep hello --param machine.harts=3..1 2>/dev/null; then echo "FAIL: empty range accepted"; exit 1; fi
# The monitor's findings per value: lesson 06's window deadlocks, the
# phases around it only warn.
csv=$("$spinlab" sweep pushoff-order --param firmware.params.timer_phase=100..153:53 --csv) && rc=0 || rc=$?
[ "$rc" -eq 1 ] || { echo "FAIL: a sweep with a deadlocked run exited $rc, want 1"; exit 1; }
expected='firmware.params.timer_phase,exit_code,outcome,cycles,findings
100,0,"ok",7468,irq-unsafe-lock
153,126,"deadlock",694,irq-deadlock'
if [ "$csv" != "$expected" ]; then
  echo "FAIL: pushoff-order sweep CSV:"; echo "$csv"; echo "expected:"; echo "$expected"; exit 1
fi
# Each run writes its own trace files, named by its value; none writes the
# name it was given.
rm -f sw.*
"$spinlab" sweep hello --param machine.harts=1..2 --vcd sw.vcd --timeline sw.json >/dev/null
for h in 1 2; do
  for f in sw.harts-$h.vcd sw.harts-$h.gtkw sw.harts-$h.json; do
    [ -s "$f" ] || { echo "FAIL: sweep wrote no $f"; ls; exit 1; }
  done
  n=$(grep -c '^\$scope module hart[0-9]* \$end' sw.harts-$h.vcd)
  [ "$n" -eq "$h" ] || { echo "FAIL: sw.harts-$h.vcd has $n hart scopes"; exit 1; }
done
[ ! -e sw.vcd ] && [ ! -e sw.json ] || { echo "FAIL: a run wrote the untagged name"; exit 1; }
echo "sweep ok"
