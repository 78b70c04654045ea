#!/usr/bin/env bash
# Exceptions show in the summary and the JSON report: faults.elf takes a load
# access fault, then 10 illegal instructions, then an ecall (not counted);
# hello.elf takes none, and says nothing about them.
#   exceptions.sh SPINLAB JQ NM FIRMWARE_DIR WORKDIR
set -u
spinlab=$1 jq=$2 nm=$3 fw=$4 work=$5
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

"$spinlab" run "$fw/faults.elf" --report faults.json >out.txt 2>&1
code=$?
cat out.txt
cp out.txt faults.out
[ "$code" -eq 0 ] || fail "faults.elf exited $code, want 0"
pattern='^  hart0: 11 exceptions, first: load access fault at main\+0x[0-9a-f]+ \(faults\.c:25\), mtval 0x00000010, cycle [0-9]+$'
grep -Eq "$pattern" out.txt || fail "no summary line matching: $pattern"

# The report says the same, as numbers.
pc=$("$jq" -r '.harts[0].exceptions.first.pc' faults.json)
symbol=$("$jq" -r '.harts[0].exceptions.first.pc_symbol' faults.json)
main=$(printf '%d' 0x"$("$nm" "$fw/faults.elf" | awk '$3 == "main" {print $1}')")
[ "$("$jq" -r '.harts[0].exceptions.count' faults.json)" = 11 ] || fail "report: count is not 11"
[ "$("$jq" -r '.harts[0].exceptions.first.cause' faults.json)" = 5 ] || fail "report: cause is not 5"
[ "$("$jq" -r '.harts[0].exceptions.first.name' faults.json)" = "load access fault" ] || fail "report: name"
[ "$("$jq" -r '.harts[0].exceptions.first.mtval' faults.json)" = 16 ] || fail "report: mtval is not 0x10"
[ "$("$jq" -r '.harts[0].exceptions.first.line' faults.json)" = "faults.c:25" ] || fail "report: line"
[ "$symbol" = "main+0x$(printf '%x' $((pc - main)))" ] || fail "report: pc_symbol $symbol does not match pc $pc (main at $main)"
cycle=$("$jq" -r '.harts[0].exceptions.first.cycle' faults.json)
grep -Eq ", cycle $cycle\$" out.txt || fail "report: cycle $cycle is not the summary's"

# No exceptions, no line; the report has a zero count and no first.
"$spinlab" run "$fw/hello.elf" --report hello.json >out.txt 2>&1 || fail "hello.elf failed"
grep -q "exception" out.txt && fail "hello.elf's summary mentions exceptions"
[ "$("$jq" -c '.harts[0].exceptions' hello.json)" = '{"count":0,"first":null}' ] || fail "hello report: $("$jq" -c '.harts[0].exceptions' hello.json)"

# A misaligned access that traps (the default, where QEMU performs it) gets
# a note saying so; faults.elf, whose exceptions are others, gets none.
grep -q "note: misaligned" "$work/faults.out" 2>/dev/null && fail "faults.elf got the misaligned note"
"$spinlab" run "$fw/misaligned_trap.elf" >out.txt 2>&1 || fail "misaligned_trap.elf failed"
grep -Eq '^  hart0: [0-9]+ exceptions, first: misaligned load at ' out.txt || fail "misaligned_trap: no exceptions line"
grep -qx '  note: misaligned loads and stores trap (machine.misaligned = "trap"); QEMU performs them, and so does spinlab with --set machine.misaligned=emulate' out.txt ||
  fail "misaligned_trap: no note on misaligned accesses"

echo "$failures failed"
[ "$failures" -eq 0 ]
