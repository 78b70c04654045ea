#!/usr/bin/env bash
# ELF layouts the loader must accept or refuse (issue 16, defect 9), linked
# from tests/cli/layouts/, and every bundled ELF still loading.
#   elf_layouts.sh SPINLAB LAYOUT_DIR FIRMWARE_DIR WORKDIR
set -u
spinlab=$1 layouts=$2 firmware=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
failures=0
. "$(dirname "$0")/expect_one_line.sh"
cp "$layouts"/*.elf .

# File bytes over file bytes: both segments named by their program header
# index (as readelf -l numbers them) and their memory, the later header's place.
expect 65 '^spinlab: overlap-files\.elf: offset 0x74: segment 1'"'"'s file bytes \[0x80000000, 0x80000020\) and segment 2'"'"'s file bytes \[0x80000008, 0x80000010\) overlap; each PT_LOAD segment needs memory of its own' -- run overlap-files.elf
# File bytes over a .bss where the program runs (it would zero them, or they it).
expect 65 '^spinlab: overlap-bss\.elf: offset 0x94: segment 2'"'"'s zero fill \(\.bss\) \[0x80000108, 0x80000148\) and segment 3'"'"'s file bytes \[0x80000110, 0x80000120\) overlap' -- run overlap-bss.elf
expect 65 'overlap-bss\.elf: .*segment 2'"'"'s zero fill' -- disasm overlap-bss.elf

# Accepted: a NOLOAD .bss after `AT > rom` data gets a load address in rom,
# over .rodata's bytes; it is zero fill nobody uses where it loads. The
# program reads .data's first word from its load address: .rodata is whole.
"$spinlab" run rom-bss.elf --max-cycles 100 -q >rom.out 2>rom.err; code=$?
if [ "$code" -ne 124 ] || [ -s rom.err ]; then
  echo "FAIL: rom-bss.elf -> exit $code (want 124, the cycle limit): $(cat rom.err)"; failures=$((failures + 1))
else
  echo "ok: rom-bss.elf (a zero fill over another segment's bytes, apart from where it runs) loads"
fi

# No bundled or test ELF is refused: each loads and runs a cycle.
count=0
for elf in "$firmware"/*.elf "$firmware"/*/*.elf; do
  [ -f "$elf" ] || continue
  count=$((count + 1))
  "$spinlab" run "$elf" --max-cycles 1 -q >/dev/null 2>load.err; code=$?
  if [ "$code" -ge 64 ] && [ "$code" -le 70 ]; then
    echo "FAIL: $elf -> exit $code: $(cat load.err)"; failures=$((failures + 1))
  fi
done
[ "$count" -ge 50 ] || { echo "FAIL: only $count ELFs under $firmware"; failures=$((failures + 1)); }
echo "ok: $count bundled ELFs load"

echo "$failures failed"
[ "$failures" -eq 0 ]
