#!/usr/bin/env bash
# `spinlab protection-table`: the table it prints is the one
# docs/lessons/protection-table.md holds (between its markers), the JSON has
# every run of the matrix, and bad command lines get the documented codes.
#   protection_table.sh SPINLAB JQ DOC
set -u
spinlab=$1 jq=$2 doc=$3
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

# --- the table, regenerated, is the lesson's ---------------------------------
if ! "$spinlab" protection-table --jobs 2 >"$tmp/table.md" 2>"$tmp/table.err"; then
  fail "protection-table failed: $(cat "$tmp/table.err")"
fi
sed -n '/^<!-- begin: spinlab protection-table -->$/,/^<!-- end: spinlab protection-table -->$/p' "$doc" |
  sed '1d;$d' >"$tmp/doc.md"
[ -s "$tmp/doc.md" ] || fail "no table between the markers in $doc"
if diff -u "$tmp/doc.md" "$tmp/table.md" >"$tmp/diff.txt"; then
  ok "the table matches $doc"
else
  fail "the table differs from $doc (regenerate: spinlab protection-table, between the markers):"
  cat "$tmp/diff.txt"
fi
# The cells the book has and the runs showed: the Interrupts row's UP cell,
# and the deferrable functions' MP cell told apart by softirq and tasklet.
grep -q '^| Interrupts | \*\*local interrupt disabling\*\*<br>1 hart: `local_irq_save` passes; `local_bh_disable` fails: [0-9]* of [0-9]* updates lost | \*\*spin lock\*\*' "$tmp/table.md" &&
  ok "Interrupts: local interrupt disabling / spin lock" || fail "Interrupts row: $(grep '^| Interrupts ' "$tmp/table.md")"
grep -q '^| Deferrable functions | \*\*none\*\*.* | \*\*spin lock (softirq) or none (tasklet)\*\*' "$tmp/table.md" &&
  ok "Deferrable functions: none / spin lock (softirq) or none (tasklet)" ||
  fail "Deferrable functions row: $(grep '^| Deferrable functions ' "$tmp/table.md")"

# --- --json: the raw matrix ------------------------------------------------
if ! "$spinlab" protection-table --json --jobs 2 >"$tmp/table.json" 2>"$tmp/json.err"; then
  fail "protection-table --json failed: $(cat "$tmp/json.err")"
fi
n=$("$jq" '.runs | length' "$tmp/table.json")
[ "$n" = 112 ] && ok "112 runs (8 combinations x 7 protections x 2 hart counts)" || fail "$n runs, not 112"
missing=$("$jq" '[.runs[] | select(has("paths") and has("protection") and has("harts") and has("outcome")
          and has("cycles") and has("lost") and has("findings") and has("command") | not)] | length' "$tmp/table.json")
[ "$missing" = 0 ] && ok "every run has its fields" || fail "$missing runs lack a field"
# Exceptions alone, no protection, 1 hart: the tick preempts a thread between
# its load and its store, and the other thread's updates are lost.
lost=$("$jq" '.runs[] | select(.paths == ["exceptions"] and .protection == "none" and .harts == 1) | .lost' "$tmp/table.json")
[ "${lost:-0}" -gt 0 ] && ok "exceptions, none, 1 hart: $lost lost" || fail "exceptions, none, 1 hart: lost $lost"
# Exceptions + interrupts, spin_lock on 1 hart: the handler spins on its own hart's lock.
kinds=$("$jq" -r '.runs[] | select(.paths == ["exceptions","interrupts"] and .protection == "spin_lock" and .harts == 1)
        | "\(.outcome) \(.findings_judged | join(","))"' "$tmp/table.json")
case "$kinds" in deadlock*irq-deadlock*) ok "exceptions+interrupts, spin_lock: $kinds" ;;
  *) fail "exceptions+interrupts, spin_lock, 1 hart: $kinds" ;; esac
# The monitor raises nothing about the kernel's own words in any of the 112
# runs (a thread's flags word, set by another hart's wakeup, once read as a lock).
ignored=$("$jq" '[.runs[] | .findings_ignored[]] | length' "$tmp/table.json")
[ "$ignored" = 0 ] && ok "no finding on words other than the program's" || fail "$ignored findings on other words"
# The same runs as the Markdown (the runs are deterministic).
up=$("$jq" -r '.table[] | select(.row == "Interrupts") | "\(.up) \(.mp)"' "$tmp/table.json")
[ "$up" = "local_irq_save spin_lock_irqsave" ] && ok "JSON table: Interrupts $up" || fail "JSON table: Interrupts $up"

# --- bad command lines: one line, exit 64 (65 for a bad key) ---------------
expect() {  # expect CODE ARGS...: exit code CODE and one line on stderr
  local code=$1; shift
  "$spinlab" "$@" >/dev/null 2>"$tmp/err.txt"
  local got=$?
  if [ "$got" = "$code" ] && [ "$(wc -l <"$tmp/err.txt")" -eq 1 ]; then ok "$* -> $code: $(cat "$tmp/err.txt")"
  else fail "$* -> exit $got (want $code), stderr: $(cat "$tmp/err.txt")"; fi
}
expect 64 protection-table extra
expect 64 protection-table --bogus
expect 64 protection-table --jobs
expect 64 protection-table --jobs many
expect 65 protection-table --set machine.hartz=2
"$spinlab" protection-table --help | grep -q 'weakest' && ok "--help explains the cells" || fail "--help"
"$spinlab" --help | grep -q 'protection-table' && ok "spinlab --help lists it" || fail "spinlab --help"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "protection-table ok"
