#!/usr/bin/env bash
# `spinlab disasm` must print what `objdump -d -M no-aliases` prints, mnemonic
# and operands, for every instruction of every bundled ELF.
#   disasm_vs_objdump.sh SPINLAB OBJDUMP FIRMWARE_DIR
set -u
spinlab=$1 objdump=$2 dir=$3
failures=0 checked=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# "address<TAB>mnemonic operands" per instruction (a 32-bit word shows eight
# hex digits, a 16-bit compressed one four); objdump's "<symbol>" and
# "# comment" annotations and spacing are not compared.
normalize() {
  awk -F'\t' '/^ *[0-9a-f]+:\t[0-9a-f][0-9a-f][0-9a-f][0-9a-f]/ {
      addr = $1; sub(/^ */, "", addr); sub(/:$/, "", addr)
      text = $3; for (i = 4; i <= NF; i++) text = text " " $i
      sub(/ *<[^>]*>$/, "", text); sub(/ *#.*$/, "", text); gsub(/ +/, " ", text)
      while (length(addr) < 8) addr = "0" addr
      printf "%s\t%s\n", addr, text }'
}

for elf in "$dir"/*.elf; do
  "$objdump" -d -M no-aliases "$elf" | normalize >"$tmp/objdump.txt"
  if ! "$spinlab" disasm "$elf" >"$tmp/spinlab.raw"; then
    echo "FAIL: spinlab disasm $elf exited non-zero"
    failures=$((failures + 1))
    continue
  fi
  normalize <"$tmp/spinlab.raw" >"$tmp/spinlab.txt"
  n=$(wc -l <"$tmp/objdump.txt")
  if [ "$n" -eq 0 ]; then
    echo "FAIL: objdump found no instructions in $elf"
    failures=$((failures + 1))
  elif ! diff -u "$tmp/objdump.txt" "$tmp/spinlab.txt" >"$tmp/diff.txt"; then
    echo "FAIL: $(basename "$elf"): spinlab disasm differs from objdump:"
    head -30 "$tmp/diff.txt"
    failures=$((failures + 1))
  else
    echo "ok: $(basename "$elf"): $n instructions"
  fi
  checked=$((checked + n))
  cut -f2 "$tmp/objdump.txt" | cut -d' ' -f1 >>"$tmp/mnemonics.txt"
done
echo "distinct mnemonics seen: $(sort -u "$tmp/mnemonics.txt" | wc -l); instructions compared: $checked"
echo "$failures failed"
[ "$failures" -eq 0 ]
