#!/usr/bin/env bash
# What a terminal gets and a pipe does not (docs/terminal.md): colour and the
# progress line on a terminal (a pseudo-terminal from script(1)), plain and
# identical bytes when piped, NO_COLOR and --color.
#   terminal.sh SPINLAB
set -u
spinlab=$1
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
esc=$(printf '\033')
cr=$(printf '\r')
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

# Under a pseudo-terminal: stdout and stderr are the terminal. script's own
# output is what the terminal was sent.
on_tty() { script -qefc "$1" /dev/null; }

# A long run: irq-deadlock spinning on, to the cycle limit (about 2 s here).
long="$spinlab run irq-deadlock --set run.on_deadlock=\"continue\" --max-cycles 60000000"

# --- piped: no escape codes, no progress line, the same bytes every time ------
"$spinlab" run irq-deadlock --narrate >"$tmp/p1.txt" 2>"$tmp/p1.err"
"$spinlab" run irq-deadlock --narrate --color=auto >"$tmp/p2.txt" 2>&1
if grep -q "$esc" "$tmp/p1.txt" "$tmp/p1.err" "$tmp/p2.txt"; then fail "escape codes when piped"; else ok "no escape codes when piped"; fi
cmp -s "$tmp/p1.txt" "$tmp/p2.txt" && ok "piped output is the same bytes" || fail "piped output differs between runs"
$long >"$tmp/long.txt" 2>"$tmp/long.err"
if grep -q "$cr" "$tmp/long.txt" "$tmp/long.err" || grep -q "of run.max_cycles" "$tmp/long.txt" "$tmp/long.err"; then
  fail "a progress line when piped"
else
  ok "no progress line when piped"
fi

# --- colour --------------------------------------------------------------------
"$spinlab" run irq-deadlock --narrate --color=always >"$tmp/c.txt" 2>&1
grep -q "${esc}\[31mDEADLOCK" "$tmp/c.txt" && ok "--color=always: DEADLOCK in red" || fail "--color=always: no red DEADLOCK"
grep -q "${esc}\[36mhart0" "$tmp/c.txt" && ok "--color=always: harts in colour" || fail "--color=always: no coloured hart"
# Without the escape codes it is the plain output, byte for byte.
sed "s/${esc}\[[0-9;]*m//g" "$tmp/c.txt" | cmp -s - "$tmp/p2.txt" && ok "colour adds only escape codes" || fail "colour changed the text"
on_tty "$spinlab run irq-deadlock --narrate" >"$tmp/t.txt"
grep -q "${esc}\[31mDEADLOCK" "$tmp/t.txt" && ok "auto on a terminal: colour" || fail "auto on a terminal: no colour"
NO_COLOR=1 on_tty "$spinlab run irq-deadlock --narrate --color=auto" >"$tmp/n.txt"
if grep -q "$esc" "$tmp/n.txt"; then fail "NO_COLOR=1 on a terminal: escape codes"; else ok "NO_COLOR=1: no colour"; fi
on_tty "$spinlab run irq-deadlock --narrate --color=never" >"$tmp/n2.txt"
if grep -q "$esc" "$tmp/n2.txt"; then fail "--color=never on a terminal: escape codes"; else ok "--color=never: no colour"; fi
"$spinlab" run irq-deadlock --color=sometimes >"$tmp/bad.txt" 2>"$tmp/bad.err"
code=$?
if [ "$code" -eq 64 ] && [ "$(wc -l <"$tmp/bad.err")" -eq 1 ] && grep -q -- "--color" "$tmp/bad.err" && [ ! -s "$tmp/bad.txt" ]; then
  ok "--color=sometimes: $(cat "$tmp/bad.err")"
else
  fail "--color=sometimes -> exit $code: $(cat "$tmp/bad.err")"
fi

# --- the progress line on a terminal -------------------------------------------
on_tty "$long" >"$tmp/tty.txt"
if grep -aqE "${cr}spinlab: [0-9]+ cycles, [0-9.]+ [kMG]? ?cycles/s, [0-9]+\.[0-9]% of run.max_cycles" "$tmp/tty.txt"; then
  ok "progress line on a terminal: $(grep -ao 'spinlab: [0-9]* cycles[^%]*%' "$tmp/tty.txt" | head -1)"
else
  fail "no progress line on a terminal"; head -c 600 "$tmp/tty.txt" | cat -A
fi
# What the terminal shows of a line: each '\r' returns to its start and what
# follows overwrites what was there. The progress line must be erased before
# anything else is printed, so what is left is the piped output, line for line.
visible() {
  sed "s/${esc}\[[0-9;]*m//g; s/$cr\$//" | awk -F"$cr" '{
      buf = ""
      for (i = 1; i <= NF; i++) buf = $i substr(buf, length($i) + 1)
      sub(/ +$/, "", buf); print buf }'
}
visible <"$tmp/tty.txt" | grep -v '^ *$' >"$tmp/visible.txt"
grep -v '^ *$' "$tmp/long.txt" >"$tmp/long.nonblank"
if diff "$tmp/long.nonblank" "$tmp/visible.txt" >"$tmp/diff.txt"; then
  ok "the progress line never mixes into the output; the run is the same as piped"
else
  fail "what the terminal shows differs from the piped output:"; head -20 "$tmp/diff.txt"
fi
# And in the bytes: the last progress line drawn on a line is followed by
# its erasure ('\r', spaces, '\r') before anything else.
unerased=$(awk -F"$cr" '/of run.max_cycles/ {
    last = 0
    for (i = 1; i <= NF; i++) if ($i ~ /% of run.max_cycles/) last = i
    if (last == NF || $(last + 1) !~ /^ +$/) n++ }
  END { print n + 0 }' "$tmp/tty.txt")
[ "$unerased" -eq 0 ] && ok "every progress line is erased" || fail "$unerased progress lines left on screen"
on_tty "$long -q" >"$tmp/q.txt"
if grep -aq "of run.max_cycles" "$tmp/q.txt"; then fail "a progress line with -q"; else ok "no progress line with -q"; fi

echo "$failures failed"
[ "$failures" -eq 0 ]
