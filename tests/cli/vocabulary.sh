#!/usr/bin/env bash
# One vocabulary (sim/out/words.h): irq-deadlock's timer interrupt and process
# context are spelled the same in the narrative, the findings, the JSON
# report, the GTKWave filters and markers, the timeline and the instruction
# trace; the lock table, --explain and the report count waits and failed
# attempts alike (docs/monitor.md, "Words").
#   vocabulary.sh SPINLAB JQ DIR
set -u
spinlab=$1 jq=$2 dir=$3
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
rm -rf "$dir" && mkdir -p "$dir" && cd "$dir" || exit 1

"$spinlab" run irq-deadlock --narrate --explain --vcd v.vcd --timeline t.json --report r.json >run.txt 2>&1
"$spinlab" trace irq-deadlock >trace.txt 2>&1

irq="timer interrupt" ctx="process"
grep -qE "^ +10210 hart0 $irq +enter the handler" run.txt && ok "narrative: $irq" || fail "narrative: no '$irq' entry"
grep -qE "^ +9003 hart0 $ctx +irqs on +acquire tickslock" run.txt && ok "narrative: $ctx" || fail "narrative: no '$ctx'"
grep -qF "  interrupt: $irq on hart0 at cycle 10210" run.txt && ok "finding: $irq" || fail "finding: no '$irq'"
grep -qF "cycle 10210 hart0 -- $irq (mcause 0x80000007)" trace.txt && ok "trace: $irq" || fail "trace: no '$irq'"
grep -qxE "00000007 (\?[A-Za-z]+\?)?$irq" v.context.filter && ok "context filter: $irq" ||
  fail "context filter: no '$irq': $(grep '^00000007' v.context.filter)"
grep -qxE "00000000 (\?[A-Za-z]+\?)?$ctx" v.context.filter && ok "context filter: $ctx" ||
  fail "context filter: no '$ctx': $(grep '^00000000 ' v.context.filter)"
grep -qF "hart0 $irq" v.gtkw && ok "gtkw marker: hart0 $irq" || fail "gtkw: no marker 'hart0 $irq'"
want() { [ "$1" = "$2" ] && ok "$3: $1" || fail "$3: '$1', not '$2'"; }
want "$("$jq" -r '.findings[0].interrupt.cause' r.json)" "$irq" "report interrupt.cause"
want "$("$jq" -r '.findings[0].waits[0].context' r.json)" "$irq" "report waits[0].context"
want "$("$jq" -r '.findings[0].holds[0].context' r.json)" "$ctx" "report holds[0].context"
want "$("$jq" -r '[.traceEvents[] | select(.cat == "handler")][0].name' t.json)" "$irq" "timeline handler span"
want "$("$jq" -r '[.traceEvents[] | select(.cat == "handler")][0].args.context' t.json)" "$irq" "timeline handler context"
want "$("$jq" -r '[.traceEvents[] | select(.cat == "hold")][0].args.context' t.json)" "$ctx" "timeline hold context"
# No view keeps an old spelling.
for f in run.txt trace.txt v.context.filter v.gtkw t.json r.json; do
  if grep -qE 'irq:(timer|soft|ext|[0-9])|softirq:|\bMTI\b|"context": ?"thread"' "$f"; then
    fail "$f has an old spelling: $(grep -nE 'irq:(timer|soft|ext|[0-9])|softirq:|\bMTI\b' "$f" | head -2)"
  fi
done

# Waits and failed attempts: one wait of 8 failed attempts, in the finding,
# the table, --explain and the report alike.
grep -qF "since cycle 10486 (8 failed attempts)" run.txt && ok "finding: 8 failed attempts" || fail "finding: not 8 attempts"
grep -qE '^lock +acquired +in irq +hold total +hold max +waits +attempts +wait total +wait max$' run.txt &&
  ok "table: waits, attempts" || fail "table header: $(grep '^lock ' run.txt)"
grep -qE '^tickslock +4 +0 +[0-9]+ +[0-9]+ +1 +8 +41 +41 +\(held at the end\)$' run.txt && ok "table: 1 wait, 8 attempts" ||
  fail "table row: $(grep '^tickslock ' run.txt)"
tr '\n' ' ' <run.txt | tr -s ' ' | grep -qF "waited 1 time (8 failed attempts), 41 cycles in all" &&
  ok "--explain: 1 wait, 8 failed attempts" || fail "--explain does not say 1 wait of 8 failed attempts"
want "$("$jq" -c '.locks[0] | [.waits, .attempts, .wait_cycles_total, .wait_cycles_max]' r.json)" "[1,8,41,41]" \
  "report locks[0] waits, attempts, wait cycles"
want "$("$jq" -r '.findings[0].waits[0].attempts' r.json)" "8" "report waits[0].attempts"

echo "$failures failed"
[ "$failures" -eq 0 ]
