#!/usr/bin/env bash
# scripts/lessons.py on a copy of a lesson that has drifted: check names each
# drift with its line and what the run prints; update regenerates the quoted
# block (numbers only), not the prose; a `not from a run` comment exempts.
#   checker.sh PYTHON LESSONS.PY SPINLAB LESSON.md   (lesson 03: its quotes below)
set -u
python=$1 checker=$2 spinlab=$3 lesson=$4
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
copy=$tmp/03-irq-deadlock.md
check() { "$python" "$checker" check "$spinlab" "$copy" >"$tmp/out" 2>&1; }

cp "$lesson" "$copy"
check && ok "the lesson as it is passes" || { fail "the lesson fails as it is:"; cat "$tmp/out"; }

# Drift: a cycle in a quoted block; a place, a cycle and an exit code in the prose.
block=$(grep -n '^DEADLOCK on hart0 at cycle [0-9]*:' "$copy" | cut -d: -f1)
sed -i -E 's/^(DEADLOCK on hart0 at cycle )([0-9]+):/\1999999:/' "$copy"
place=$(grep -n 'at `trap.c:[0-9]*`' "$copy" | head -1 | cut -d: -f1)
sed -i -E 's/at `trap.c:[0-9]+`/at `trap.c:99`/' "$copy"
cycle=$(grep -n 'There (cycle [0-9 ]*)' "$copy" | cut -d: -f1)
sed -i -E 's/There \(cycle [0-9 ]+\)/There (cycle 99 999)/' "$copy"
code=$(grep -n 'exit code \*\*126\*\*' "$copy" | cut -d: -f1)
sed -i 's/exit code \*\*126\*\*/exit code **0**/' "$copy"
[ -n "$block" ] && [ -n "$place" ] && [ -n "$cycle" ] && [ -n "$code" ] || fail "lesson 03 no longer quotes what this test changes"
check; rc=$?
[ $rc = 1 ] && ok "a drifted lesson fails" || fail "a drifted lesson: exit $rc, not 1"
grep -q "03-irq-deadlock.md:$block: quotes  DEADLOCK on hart0 at cycle 999999:" "$tmp/out" &&
  grep -q '`spinlab run irq-deadlock` prints  DEADLOCK on hart0 at cycle [0-9]*:' "$tmp/out" &&
  ok "the block's line and what the run prints" || fail "the block's drift: $(cat "$tmp/out")"
grep -q "03-irq-deadlock.md:$place: prose quotes  trap.c:99" "$tmp/out" && grep -q 'the runs print trap.c:[0-9]' "$tmp/out" &&
  ok "the prose's place" || fail "the prose's place: $(cat "$tmp/out")"
grep -q "03-irq-deadlock.md:$cycle: prose quotes  cycle 99 999" "$tmp/out" &&
  ok "the prose's cycle" || fail "the prose's cycle: $(cat "$tmp/out")"
grep -q "03-irq-deadlock.md:$code: prose quotes  exit code \*\*0\*\*" "$tmp/out" && grep -q 'the runs exit with 126$' "$tmp/out" &&
  ok "the prose's exit code" || fail "the prose's exit code: $(cat "$tmp/out")"
[ "$(grep -c 'quotes' "$tmp/out")" = 4 ] && ok "nothing else" || fail "more than the four drifts: $(cat "$tmp/out")"

# update regenerates the block, not the prose.
"$python" "$checker" update "$spinlab" "$copy" >"$tmp/update" 2>&1
grep -q "1 line regenerated" "$tmp/update" && ok "update regenerates the block's line" || fail "update: $(cat "$tmp/update")"
check
grep -q ":$block: quotes" "$tmp/out" && fail "the block still differs after update" || ok "the block agrees after update"
[ "$(grep -c 'prose quotes' "$tmp/out")" = 3 ] && ok "the prose is left for a person" || fail "after update: $(cat "$tmp/out")"

# A number that is not from a run is exempted by name, and only that one.
printf '%s\n' '<!-- lesson-check: not from a run: cycle 99 999 -->' >>"$copy"
check
grep -q 'prose quotes  cycle 99 999' "$tmp/out" && fail "the comment did not exempt cycle 99 999" || ok "the comment exempts it"
grep -q 'prose quotes  trap.c:99' "$tmp/out" && ok "and nothing else" || fail "the comment exempted more: $(cat "$tmp/out")"

# A block line whose words changed (as when the output is reworded) takes the
# run's most similar line, and update says so.
cp "$lesson" "$copy"
lock=$((block + 1))   # the finding's second line, "  lock:      tickslock (0x...)"
sed -i -E "${lock}s/^(  [a-z]+: +)/\1the lock /" "$copy"
"$python" "$checker" update "$spinlab" "$copy" >"$tmp/update" 2>&1
grep -q "03-irq-deadlock.md:$lock: reworded from \`spinlab run irq-deadlock\` (read it): [a-z]*: *the lock " "$tmp/update" &&
  grep -q "now: $(sed -n "${lock}p" "$lesson" | sed 's/^ *//')" "$tmp/update" && ok "update rewords a line and says so" || fail "rewording: $(cat "$tmp/update")"
check && ok "the reworded lesson passes" || fail "the reworded lesson: $(cat "$tmp/out")"

# A block that leaves out a line without `...` fails; with `...` it passes.
middle=$((block + 2))   # a line inside the finding's block
cp "$lesson" "$copy"
sed -i "${middle}d" "$copy"
check && fail "a line left out without ... passes" || ok "a line left out without ... fails"
cp "$lesson" "$copy"
sed -i "${middle}s/.*/  .../" "$copy"
check && ok "a line left out with ... passes" || fail "a line left out with ...: $(cat "$tmp/out")"

echo "$failures failure(s)"
[ $failures = 0 ]
