#!/usr/bin/env bash
# `spinlab trace`: every retired instruction, exact. The first lines are the
# entry point's instructions as objdump lists them; every traced encoding and
# mnemonic is objdump's at that address; the lines per hart are the
# instructions the summary says each hart retired; cycles never go back;
# the same bytes every run; bad input gets its one line and exit code.
#   trace.sh SPINLAB OBJDUMP FIRMWARE_DIR
set -u
spinlab=$1 objdump=$2 dir=$3
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
insn_line='^cycle [0-9]+ hart[0-9]+ [0-9a-f]{8} <[^>]*> \(([0-9a-f]{4}|[0-9a-f]{8})\) '

# "address encoding mnemonic operands" per instruction of objdump's listing
# of $1 (a compressed instruction's encoding has four hex digits) ...
objdump_lines() {
  "$objdump" -d -M no-aliases "$1" | awk -F'\t' '/^ *[0-9a-f]+:\t[0-9a-f][0-9a-f][0-9a-f][0-9a-f]/ {
    addr = $1; sub(/^ */, "", addr); sub(/:$/, "", addr); while (length(addr) < 8) addr = "0" addr
    bits = $2; sub(/ +$/, "", bits)
    text = $3; for (i = 4; i <= NF; i++) text = text " " $i
    sub(/ *<[^>]*>$/, "", text); sub(/ *#.*$/, "", text); gsub(/ +/, " ", text)
    print addr, bits, text }'
}
# ... and of the trace in file $1.
traced_lines() {
  grep -E "$insn_line" "$1" | sed -E 's/^cycle [0-9]+ hart[0-9]+ ([0-9a-f]{8}) <[^>]*> \(([0-9a-f]+)\) (.*)$/\1 \2 \3/; s/  +[a-z0-9]+=.*$//; s/  +mem\[.*$//; s/ <[^>]*>$//'
}

# --- one hart: against objdump ---------------------------------------------
elf=$dir/hello.elf
"$spinlab" trace "$elf" --max-cycles 3000 >"$tmp/hello.txt" 2>"$tmp/hello.err"
code=$?
[ "$code" -eq 124 ] && ok "trace stops at --max-cycles (exit 124)" || fail "trace exited $code: $(cat "$tmp/hello.err")"
# "address encoding mnemonic operands" from objdump and from the trace.
objdump_lines "$elf" >"$tmp/objdump.txt"
traced_lines "$tmp/hello.txt" >"$tmp/traced.txt"
entry=$("$objdump" -f "$elf" | awk '/start address/ { sub(/^0x/, "", $3); print $3 }')
first=$(head -1 "$tmp/traced.txt" | cut -d' ' -f1)
[ "$first" = "$entry" ] && ok "the first line is the entry point, $entry" || fail "first traced pc $first, entry $entry"
# _entry's first three instructions run in order (the third is a taken branch).
n=3
start=$(grep -n "^$entry " "$tmp/objdump.txt" | cut -d: -f1)
if diff <(sed -n "${start},$((start + n - 1))p" "$tmp/objdump.txt") <(head -$n "$tmp/traced.txt") >"$tmp/d1.txt"; then
  ok "the first $n lines are objdump's first $n instructions at the entry"
else
  fail "the first lines differ from objdump:"; cat "$tmp/d1.txt"
fi
missing=$(sort -u "$tmp/traced.txt" | comm -23 - <(sort -u "$tmp/objdump.txt") | head -5)
if [ -z "$missing" ]; then
  ok "all $(wc -l <"$tmp/traced.txt") traced instructions: objdump's address, encoding and text"
else
  fail "traced instructions objdump does not list so:"; echo "$missing"
fi

# --- built with C: 16-bit encodings, and effects of their expansions ------------
"$spinlab" trace "$dir/rvc.elf" --max-cycles 200000 >"$tmp/rvc.txt" 2>&1
objdump_lines "$dir/rvc.elf" >"$tmp/objdump_c.txt"
traced_lines "$tmp/rvc.txt" >"$tmp/traced_c.txt"
missing=$(sort -u "$tmp/traced_c.txt" | comm -23 - <(sort -u "$tmp/objdump_c.txt") | head -5)
compressed=$(grep -cE '^[0-9a-f]{8} [0-9a-f]{4} c\.' "$tmp/traced_c.txt")
if [ -z "$missing" ] && [ "$compressed" -gt 100 ]; then
  ok "rvc: $(wc -l <"$tmp/traced_c.txt") traced instructions, $compressed compressed: objdump's address, encoding and text"
else
  fail "rvc: $compressed compressed lines; traced instructions objdump does not list so:"; echo "$missing"
fi
grep -qE '\([0-9a-f]{4}\) c\.li a[0-5],[-0-9]+ +a[0-5]=0x[0-9a-f]{8}$' "$tmp/rvc.txt" \
  && ok "c.li shows the register it wrote" || fail "no c.li line with its rd's value"
grep -qE '\([0-9a-f]{4}\) c\.swsp [a-z0-9]+,[0-9]+\(sp\) +mem\[0x[0-9a-f]{8}\]=0x[0-9a-f]{8}$' "$tmp/rvc.txt" \
  && ok "c.swsp shows its store" || fail "no c.swsp line with mem[ADDR]=VALUE"
grep -qE '^cycle [0-9]+ hart0 -- exception: illegal instruction \(mcause 0x2, mtval 0x6101\) at [0-9a-f]{8} <[^>]*> \(6101\) c\.addi16sp sp,0; handler' "$tmp/rvc.txt" \
  && ok "a reserved parcel traps with mtval = the parcel" || fail "no trap line for c.addi16sp sp,0"
grep -qE '^cycle [0-9]+ hart0 -- exception: illegal instruction \(mcause 0x2, mtval 0x0\) at [0-9a-f]{8} <[^>]*> \(0000\) c\.unimp; handler' "$tmp/rvc.txt" \
  && ok "c.unimp (parcel 0) traps and shows its parcel" || fail "no trap line for c.unimp"

# --- several harts: counts, order, determinism -------------------------------
"$spinlab" trace race --max-cycles 20000 >"$tmp/race.txt" 2>"$tmp/race.err"
code=$?
[ "$code" -eq 124 ] && ok "trace race exits 124" || fail "trace race exited $code: $(cat "$tmp/race.err")"
for h in 0 1 2 3; do
  lines=$(grep -cE "^cycle [0-9]+ hart$h [0-9a-f]{8} " "$tmp/race.txt")
  retired=$(sed -nE "s/^  hart$h: ([0-9]+) instructions retired.*/\1/p" "$tmp/race.txt")
  if [ -n "$retired" ] && [ "$lines" -eq "$retired" ] && [ "$lines" -gt 0 ]; then
    ok "hart$h: $lines lines, $retired instructions retired"
  else
    fail "hart$h: $lines trace lines, the summary says ${retired:-nothing}"
  fi
done
back=$(grep -E '^cycle [0-9]+ ' "$tmp/race.txt" | awk '{ if ($2 + 0 < last) n++; last = $2 + 0 } END { print n + 0 }')
[ "$back" -eq 0 ] && ok "cycles never go back" || fail "$back lines go back in cycles"
grep -qE '^cycle [0-9]+ hart[0-9] [0-9a-f]{8} <[^>]*> \([0-9a-f]{8}\) amoswap\.w|sw .*mem\[0x[0-9a-f]{8}\]=0x' "$tmp/race.txt" \
  && ok "stores show their address and value" || fail "no store with mem[ADDR]=VALUE"
"$spinlab" trace race --max-cycles 20000 2>&1 | cmp -s - "$tmp/race.txt" && ok "the same bytes twice" || fail "two traces differ"
# run --trace-insns is the same trace.
"$spinlab" run race --trace-insns --max-cycles 20000 2>&1 | cmp -s - <(grep -v '^spinlab trace:' "$tmp/race.txt") \
  && ok "run --trace-insns prints the same" || fail "run --trace-insns differs from trace"
# The default limit, and saying so.
"$spinlab" trace hello >"$tmp/default.txt" 2>&1
grep -q '^spinlab: stopped at cycle 100000 ' "$tmp/default.txt" && grep -q 'default limit of 100000 cycles' "$tmp/default.txt" \
  && ok "default limit 100000 cycles, said so" || fail "default limit: $(tail -2 "$tmp/default.txt")"
# An interrupt shows as a trap line.
"$spinlab" trace irq-deadlock --max-cycles 15000 >"$tmp/irq.txt" 2>&1
grep -qE '^cycle 10210 hart0 -- timer interrupt \(mcause 0x80000007\) at [0-9a-f]{8} <busy_wait\+0x4>; handler [0-9a-f]{8} <kernelvec>$' "$tmp/irq.txt" \
  && ok "the timer interrupt as a trap line" || fail "no trap line for the timer interrupt"

# --- bad input -----------------------------------------------------------------
expect() {
  local code=$1 pattern=$2
  shift 2
  "$spinlab" "$@" >"$tmp/out.txt" 2>"$tmp/err.txt"
  local got=$?
  if [ "$got" -ne "$code" ] || [ "$(wc -l <"$tmp/err.txt")" -ne 1 ] || ! grep -Eq -- "$pattern" "$tmp/err.txt" || [ -s "$tmp/out.txt" ]; then
    fail "spinlab $* -> exit $got (want $code): $(head -3 "$tmp/err.txt")"
  else
    ok "spinlab $* -> $got: $(cat "$tmp/err.txt")"
  fi
}
expect 66 'nowhere\.elf' trace nowhere.elf
expect 64 'trace: missing TARGET' trace
expect 64 'unrecognised option|unrecognized option' trace hello --bogus
expect 64 'max-cycles' trace hello --max-cycles lots
echo "hello, I am text" >"$tmp/text.elf"
expect 65 'text\.elf: .*not an ELF' trace "$tmp/text.elf"

echo "$failures failed"
[ "$failures" -eq 0 ]
