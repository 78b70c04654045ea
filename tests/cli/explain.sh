#!/usr/bin/env bash
# `spinlab run --explain`: the lesson's rule and what the run showed, for
# every scenario, from any directory; no lesson for a plain ELF.
#   explain.sh SPINLAB PLAIN_ELF
set -u
spinlab=$1 plain=$2
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
# has FILE TEXT...: each TEXT (fixed string) is in FILE.
has() {
  local file=$1; shift
  for t in "$@"; do grep -qF -- "$t" "$file" || { fail "$(basename "$file"): no \"$t\""; return 1; }; done
}

cd / || exit 1  # the lessons are found wherever spinlab runs from

"$spinlab" run irq-deadlock --explain >"$tmp/irq.txt" 2>"$tmp/irq.err"
code=$?
[ "$code" -eq 126 ] && ok "irq-deadlock --explain exits 126" || fail "irq-deadlock --explain exited $code"
has "$tmp/irq.txt" "The lesson: docs/lessons/03-irq-deadlock.md" "The rules:" \
  "A lock shared with an interrupt handler must be taken with local" \
  "What this run showed:" "hart0 took tickslock at cycle" "with interrupts" "enabled" \
  "timer interrupt came on hart0" "clockintr" "a deadlock" "The monitor stopped the run at cycle" \
  "The firmware's last line: \"irq-deadlock: hart 0 takes tickslock" && ok "irq-deadlock: the rule, tickslock, the deadlock"
# The explanation comes after the summary, and is plain text.
summary=$(grep -n '^spinlab: stopped at cycle' "$tmp/irq.txt" | cut -d: -f1)
lesson=$(grep -n '^The lesson:' "$tmp/irq.txt" | cut -d: -f1)
[ -n "$summary" ] && [ -n "$lesson" ] && [ "$summary" -lt "$lesson" ] && ok "after the summary" || fail "not after the summary"
sed -n '/^The lesson:/,$p' "$tmp/irq.txt" >"$tmp/irq-explain.txt"
if grep -qE '\*\*|`|\]\(' "$tmp/irq-explain.txt"; then fail "Markdown marks in the rule"; else ok "no Markdown marks"; fi
# The rule is the lesson's section, no more: not the next one's text.
if grep -q "on QEMU" "$tmp/irq-explain.txt"; then fail "the rule runs into the next section"; else ok "the rule section ends at its heading"; fi

# Every scenario has a lesson with a rule, and --explain does not change the exit code.
for s in race test-and-set irq-deadlock irqsave other-cpu pushoff-order xv6 irq-wrong \
         preempt-points preempt-spinlock up trylock sleep-in-atomic irq-sleep recursive abba wfi-holding \
         spin-vs-sleep top-bottom global-cli nested-irq bh-lock bh-irq-lock tasklet-vs-softirq; do
  "$spinlab" run "$s" >/dev/null 2>&1
  want=$?
  "$spinlab" run "$s" --explain >"$tmp/$s.txt" 2>"$tmp/$s.err"
  got=$?
  if [ "$got" -ne "$want" ] || [ -s "$tmp/$s.err" ] || ! grep -qE '^The rules?:$' "$tmp/$s.txt" \
     || ! grep -q '^What this run showed:$' "$tmp/$s.txt"; then
    fail "$s --explain: exit $got (want $want): $(head -2 "$tmp/$s.err")"
  else
    ok "$s --explain: $(grep -cE '^  ' "$tmp/$s.txt") indented lines, exit $got"
  fi
done
has "$tmp/race.txt" "both were in the critical section at once" "No deadlock this run." && ok "race: the broken mutual exclusion"
has "$tmp/xv6.txt" "No deadlock, and nothing the lock monitor warns about." "with exit code 0" \
  "The firmware's last line: \"xv6: all checks passed\"" && ok "xv6: no deadlock, the verdict"

# "Only by luck" only when the interrupt could have come: hart 0 of other-cpu
# never sets mie.MTIE, so the timer cannot interrupt it; pushoff-order's hart
# 0 takes the timer, so there it was timing.
# (The explanation is wrapped: flat makes a file one line.)
flat() { tr '\n' ' ' <"$1" | tr -s ' ' >"$1.flat"; }
"$spinlab" run other-cpu --set firmware.params.use_irqsave=0 --explain >"$tmp/oc.txt" 2>&1
flat "$tmp/oc.txt"
has "$tmp/oc.txt.flat" "No deadlock this time, and not by luck: hart0's mie.MTIE was clear while it held tickslock" \
  "waited 5 times (1107 failed attempts)" && ok "other-cpu use_irqsave=0: not luck, mie.MTIE clear"
if grep -q "only because of timing" "$tmp/oc.txt.flat"; then fail "other-cpu use_irqsave=0 still says timing"; fi
"$spinlab" run pushoff-order --set firmware.params.timer_phase=100 --explain >"$tmp/po.txt" 2>&1
flat "$tmp/po.txt"
has "$tmp/po.txt.flat" "No deadlock this time, but only because of timing" && ok "pushoff-order phase 100: timing"
if grep -q "not by luck" "$tmp/po.txt.flat"; then fail "pushoff-order phase 100 says not by luck"; fi

# Not a scenario: the findings alone, and no lesson.
"$spinlab" run "$plain" --explain >"$tmp/plain.txt" 2>"$tmp/plain.err"
code=$?
[ "$code" -eq 0 ] && ok "plain ELF --explain exits 0" || fail "plain ELF --explain exited $code"
has "$tmp/plain.txt" "There is no lesson for this run" "is not a scenario" "What this run showed:" \
  "The firmware ended the run at cycle" && ok "plain ELF: no lesson"
if grep -q "^The rule" "$tmp/plain.txt"; then fail "plain ELF: a rule printed"; fi

# A lesson that cannot be found: one line naming it, exit 66.
SPINLAB_DOCS_DIR=/nonexistent "$spinlab" run irq-deadlock --explain >/dev/null 2>"$tmp/missing.err"
code=$?
if [ "$code" -eq 66 ] && [ "$(wc -l <"$tmp/missing.err")" -eq 1 ] && grep -q "03-irq-deadlock.md" "$tmp/missing.err"; then
  ok "missing lesson: $(cat "$tmp/missing.err")"
else
  fail "missing lesson -> exit $code: $(cat "$tmp/missing.err")"
fi

echo "$failures failed"
[ "$failures" -eq 0 ]
