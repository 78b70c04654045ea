#!/usr/bin/env bash
# Every bad input gets one line on stderr naming the file (and place), the
# documented exit code, and never a crash.
#   bad_input.sh SPINLAB GOOD_ELF ELF64 WORKDIR
set -u
spinlab=$1 good=$2 elf64=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
failures=0

# expect CODE PATTERN -- ARGS...: one stderr line, the exit code, no stdout.
. "$(dirname "$0")/expect_one_line.sh"
# --- command line (64) -------------------------------------------------------
expect 64 'unknown command'           -- frobnicate
expect 64 'unknown command `frob`'    -- help frob
expect 64 '^spinlab: --version: takes no argument' -- --version extra
expect 64 'missing TARGET'            -- run
expect 64 'unrecognised option|unrecognized option' -- run "$good" --bogus
expect 64 'max-cycles'                -- run "$good" --max-cycles lots
expect 64 'missing TARGET'            -- disasm
expect 64 '^spinlab: run: takes one TARGET, got `a b c`$' -- run a b c
expect 64 '^spinlab: new: takes one DIR, got `a b`$' -- new a b
expect 64 '^spinlab: protection-table: takes no argument, got `a b`$' -- protection-table a b

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
expect 65 'overlap\.elf: offset 0x54: segment 0'"'"'s file bytes \[0x80000010, 0x80000058\) and segment 1'"'"'s file bytes \[0x80000000, .*\) overlap' -- run overlap.elf

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

# --- issue 16's defects, each failed before its fix ---------------------------
# A negative cycle count is a bad command line, not 2^64-1 called "a string".
expect 64 '^spinlab: --max-cycles: expected a whole number of cycles from 1 to [0-9]+, got "-1"$' -- run "$good" --max-cycles -1
expect 64 '^spinlab: --max-cycles: .*got "-5"$' -- trace "$good" --max-cycles -5
expect 64 '^spinlab: --max-cycles: .*got "0"$'  -- run "$good" --max-cycles 0
expect 64 '^spinlab: --max-cycles: .*got "99999999999999999999"$' -- run "$good" --max-cycles 99999999999999999999
# What is at a path is named, not called "no such file" (a FIFO is never opened).
mkdir -p adir && mkfifo afifo && ln -s loop2 loop1 && ln -s loop1 loop2 && ln -s nowhere dangling
expect 66 '^spinlab: \./adir: is a directory, not an ELF file or a config$' -- run ./adir
expect 66 '^spinlab: adir: is a directory, not an ELF file or a config$' -- run adir
expect 66 '^spinlab: afifo: is a FIFO, not an ELF file or a config$' -- run afifo
expect 66 '^spinlab: /dev/null: is a character device, not an ELF file or a config$' -- run /dev/null
expect 66 '^spinlab: \./loop1: is a symbolic link loop$' -- run ./loop1
expect 66 '^spinlab: \./dangling: is a symbolic link to nothing \(no such file\)$' -- run ./dangling
# The same for a bare name ending .elf: before, "no such file; did you mean
# `hello`?", as if nothing were there.
mkdir -p dirfw.elf && mkfifo ff.elf && ln -s nowhere dangling.elf
expect 66 '^spinlab: ff\.elf: is a FIFO, not an ELF file or a config$' -- run ff.elf
expect 66 '^spinlab: dirfw\.elf: is a directory, not an ELF file or a config$' -- run dirfw.elf
expect 66 '^spinlab: dangling\.elf: is a symbolic link to nothing \(no such file\)$' -- run dangling.elf
expect 66 '^spinlab: ff\.elf: is a FIFO, not an ELF file or a config$' -- disasm ff.elf
expect 66 '^spinlab: dangling\.elf: is a symbolic link to nothing \(no such file\)$' -- sweep dangling.elf --param machine.harts=1..2
# A file whose size stat() does not know is read to its end, not "empty".
expect 65 '^spinlab: /proc/self/status: not an ELF file$' -- run /proc/self/status
# An empty output name names nothing: a usage error, before any run.
expect 64 '^spinlab: --report: the file name is empty$' -- run "$good" --report ''
expect 64 '^spinlab: --vcd: the file name is empty$' -- run "$good" --vcd ''
expect 64 '^spinlab: --timeline: the file name is empty$' -- run "$good" --timeline ''
# A misaligned entry point: no instruction starts at an odd address.
cp "$good" oddentry.elf && printf '\x01' | dd of=oddentry.elf bs=1 seek=24 conv=notrunc status=none
expect 65 '^spinlab: oddentry\.elf: offset 0x18: entry point 0x[0-9a-f]+ is misaligned' -- run oddentry.elf
# ELF version 0 in e_ident: libelf refuses it saying only "no error".
cp "$good" eiversion.elf && printf '\x00' | dd of=eiversion.elf bs=1 seek=6 conv=notrunc status=none
expect 65 '^spinlab: eiversion\.elf: offset 0x6: has ELF version 0 \(e_ident\[EI_VERSION\]\); the only one is 1$' -- run eiversion.elf
# An entry point 2-aligned where the ISA has no 16-bit instructions: at e_entry too.
cp "$good" twoentry.elf && printf '\x02' | dd of=twoentry.elf bs=1 seek=24 conv=notrunc status=none
expect 65 '^spinlab: twoentry\.elf: offset 0x18: entry point 0x[0-9a-f]+ is not 4-byte aligned' -- run twoentry.elf --set machine.isa='"rv32ima"'
# --max-cycles up to the largest TOML integer; past what SystemC's time can
# count at the clock, a config error naming --max-cycles as given.
expect 64 '^spinlab: --max-cycles: expected a whole number of cycles from 1 to 9223372036854775807, got "9223372036854775808"$' -- run "$good" --max-cycles 9223372036854775808
expect 65 '^spinlab: --max-cycles 9223372036854775807: run\.max_cycles: 9223372036854775807 cycles of 10000 ps' -- run "$good" --max-cycles 9223372036854775807
# A sweep of four billion values is refused by its count, at once.
start=$(date +%s)
expect 64 'run\.max_cycles=1\.\.4000000000:1: 4000000000 values, more than 100000' -- sweep "$good" --param run.max_cycles=1..4000000000:1
[ $(( $(date +%s) - start )) -le 5 ] || { echo "FAIL: the 4e9-value sweep took over 5 s to refuse"; failures=$((failures + 1)); }
# A megabyte of unknown key: the did-you-mean costs nothing, and is not quadratic.
{ printf 'firmware.program = "%s"\n[machine]\n' "$good"; printf 'k%.0s' $(seq 1 300000); echo ' = 1'; } >longkey.toml
start=$(date +%s)
"$spinlab" run longkey.toml >/dev/null 2>longkey.err; code=$?
if [ "$code" -ne 65 ] || [ $(( $(date +%s) - start )) -gt 5 ] || [ "$(wc -l <longkey.err)" -ne 1 ] ||
   [ "$(wc -c <longkey.err)" -gt 400 ] || ! grep -q 'unknown key `machine\.kkk.*\.\.\. (300008 characters)`' longkey.err; then
  echo "FAIL: a 300 kB unknown key -> exit $code after $(( $(date +%s) - start )) s: $(head -c 300 longkey.err)"
  failures=$((failures + 1))
else
  echo "ok: a 300 kB unknown key -> 65 in $(( $(date +%s) - start )) s"
fi
# An ELF without section headers (stripped to its program headers) still
# disassembles: its executable segments are listed.
cp "$good" nosections.elf
printf '\0\0\0\0' | dd of=nosections.elf bs=1 seek=32 conv=notrunc status=none        # e_shoff
printf '\0\0\0\0' | dd of=nosections.elf bs=1 seek=48 conv=notrunc status=none        # e_shnum, e_shstrndx
"$spinlab" disasm nosections.elf >nosections.txt 2>nosections.err; code=$?
if [ "$code" -ne 0 ] || ! grep -q '^Disassembly of section segment 0x80000000 (no section headers):$' nosections.txt ||
   [ "$(grep -c $'^80000000:\t' nosections.txt)" -ne 1 ] || [ "$(wc -l <nosections.txt)" -lt 50 ]; then
  echo "FAIL: disasm of an ELF without sections -> exit $code, $(wc -l <nosections.txt) lines: $(head -c 200 nosections.err)"
  failures=$((failures + 1))
else
  echo "ok: disasm of an ELF without sections lists its executable segment ($(wc -l <nosections.txt) lines)"
fi
# Output write failures (issue 16, defects 1 and 2): a full disk is 66 with
# one line naming the file, and what can still be written is written.
"$spinlab" run "$good" -q --report /dev/full >/dev/null 2>full.err; code=$?
if [ "$code" -ne 66 ] || [ "$(wc -l <full.err)" -ne 1 ] ||
   ! grep -q '^spinlab: /dev/full: writing the report failed: No space left on device$' full.err; then
  echo "FAIL: --report /dev/full -> exit $code: $(cat full.err)"; failures=$((failures + 1))
else
  echo "ok: --report /dev/full -> 66: $(cat full.err)"
fi
rm -f full.json
"$spinlab" run "$good" -q --vcd /dev/full --report full.json >/dev/null 2>full.err; code=$?
if [ "$code" -ne 66 ] || [ "$(wc -l <full.err)" -ne 1 ] ||
   ! grep -q '^spinlab: /dev/full: writing the VCD trace failed: No space left on device$' full.err ||
   ! grep -q '"reason": "finisher"' full.json; then
  echo "FAIL: --vcd /dev/full --report full.json -> exit $code: $(cat full.err); report: $(head -c 100 full.json 2>&1)"
  failures=$((failures + 1))
else
  echo "ok: --vcd /dev/full -> 66, and the report is written: $(cat full.err)"
fi

echo "$failures failed"
[ "$failures" -eq 0 ]
