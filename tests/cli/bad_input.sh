#!/usr/bin/env bash
# Every bad input gets one line on stderr naming the file (and place), the
# documented exit code, and never a crash.
#   bad_input.sh SPINLAB GOOD_ELF ELF64 WORKDIR
set -u
spinlab=$1 good=$2 elf64=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
failures=0

# expect CODE PATTERN -- ARGS...: exit code CODE, exactly one stderr line
# matching the extended regex PATTERN, and nothing on stdout.
expect() {
  local code=$1 pattern=$2
  shift 3
  "$spinlab" "$@" >out.txt 2>err.txt
  local got=$?
  local lines
  lines=$(wc -l <err.txt)
  if [ "$got" -ne "$code" ] || [ "$lines" -ne 1 ] || ! grep -Eq -- "$pattern" err.txt || [ -s out.txt ]; then
    echo "FAIL: spinlab $* -> exit $got (want $code), $lines stderr line(s), stdout $(wc -c <out.txt) bytes:"
    sed 's/^/    /' err.txt out.txt | head -20
    failures=$((failures + 1))
  else
    echo "ok: spinlab $* -> $got: $(cat err.txt)"
  fi
}

# --- command line (64) -------------------------------------------------------
expect 64 'unknown command'           -- frobnicate
expect 64 'missing TARGET'            -- run
expect 64 'unrecognised option|unrecognized option' -- run "$good" --bogus
expect 64 'max-cycles'                -- run "$good" --max-cycles lots
expect 64 'missing TARGET'            -- disasm

# --- missing files (66) ------------------------------------------------------
expect 66 'nowhere\.elf: no such file$' -- run nowhere.elf
expect 66 'nowhere\.toml'             -- run nowhere.toml
expect 66 'nowhere\.elf: no such file$' -- disasm nowhere.elf
# Outputs written after the run are checked before it: no run, no output.
expect 66 'nodir/r\.json: cannot write the report' -- run "$good" --report nodir/r.json
expect 66 'nodir/t\.json: cannot write the timeline' -- run "$good" --timeline nodir/t.json

# --- bad ELFs (65) -----------------------------------------------------------
echo "hello, I am text" >text.elf
expect 65 'text\.elf: .*not an ELF'   -- run text.elf
expect 65 'text\.elf: .*not an ELF'   -- disasm text.elf
head -c 100 "$good" >truncated.elf
expect 65 'truncated\.elf: .*trunc'   -- run truncated.elf
head -c $(( $(stat -c %s "$good") / 2 )) "$good" >half.elf
expect 65 'half\.elf: '               -- run half.elf
expect 65 'elf64\.elf: .*64-bit'      -- run "$elf64"
cp "$good" bigendian.elf && printf '\x02' | dd of=bigendian.elf bs=1 seek=5 conv=notrunc status=none
expect 65 'bigendian\.elf: .*big-endian' -- run bigendian.elf
cp "$good" x86.elf && printf '\x3e\x00' | dd of=x86.elf bs=1 seek=18 conv=notrunc status=none
expect 65 'x86\.elf: .*RISC-V'        -- run x86.elf
cp "$good" relocatable.elf && printf '\x01\x00' | dd of=relocatable.elf bs=1 seek=16 conv=notrunc status=none
expect 65 'relocatable\.elf: .*execut' -- run relocatable.elf
expect 65 'outside RAM'               -- run "$good" --set machine.ram_bytes=4096
# Segments load at their physical address (p_paddr), as on QEMU. The good
# ELF's program header 1 (at 84) is its PT_LOAD; header 0 (at 52) its
# attributes. A load address outside RAM is refused even when the segment
# runs in RAM; two segments whose bytes load over each other are refused.
cp "$good" paddr.elf && printf '\x00\x00\x00\x20' | dd of=paddr.elf bs=1 seek=96 conv=notrunc status=none
expect 65 'paddr\.elf: offset 0x54: segment \[0x80000000, .*\) \(loaded at \[0x20000000, .*\)\) is outside RAM .*load address' -- run paddr.elf
cp "$good" overlap.elf && printf '\x01\x00\x00\x00' | dd of=overlap.elf bs=1 seek=52 conv=notrunc status=none
for at in 60 64; do printf '\x10\x00\x00\x80' | dd of=overlap.elf bs=1 seek=$at conv=notrunc status=none; done
printf '\x48\x00\x00\x00' | dd of=overlap.elf bs=1 seek=72 conv=notrunc status=none
expect 65 'overlap\.elf: offset 0x34: segments loaded at \[0x80000000, .*\) and \[0x80000010, 0x80000058\) overlap' -- run overlap.elf

# --- bad configs (65), each with file:line:col -------------------------------
printf '[machine]\nharts = \n' >syntax.toml
expect 65 'syntax\.toml:2:[0-9]+: '   -- run syntax.toml
printf '[machine]\nhart = 2\n[firmware]\nprogram = "hello"\n' >unknown.toml
expect 65 'unknown\.toml:2:1: .*machine\.harts' -- run unknown.toml
printf '[machine]\nharts = "two"\n[firmware]\nprogram = "hello"\n' >type.toml
expect 65 'type\.toml:2:9: .*machine\.harts.*integer' -- run type.toml
printf '[machine]\nharts = 65\n[firmware]\nprogram = "hello"\n' >range.toml
expect 65 'range\.toml:2:9: .*machine\.harts' -- run range.toml
printf '[machine]\nmisaligned = "sometimes"\n[firmware]\nprogram = "hello"\n' >enum.toml
expect 65 'enum\.toml:2:14: .*trap.*emulate' -- run enum.toml
printf '[machine]\nharts = 1\n' >nofirmware.toml
expect 65 'nofirmware\.toml: .*firmware\.program' -- run nofirmware.toml
printf '[firmware]\nprogram = "missing.elf"\n' >missingfw.toml
expect 66 'missingfw\.toml:2:11: .*missing\.elf' -- run missingfw.toml
printf '[firmware]\nprogram = "text.elf"\n' >badfw.toml
expect 65 'text\.elf: .*not an ELF'   -- run badfw.toml
expect 65 '\-\-set.*machine\.harts'    -- run "$good" --set machine.harts=0
expect 65 '\-\-set.*machine\.clock_hz' -- run "$good" --set machine.clok_hz=5
expect 65 '\-\-set nonsense'           -- run "$good" --set nonsense

echo "$failures failed"
[ "$failures" -eq 0 ]
