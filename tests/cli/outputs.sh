#!/usr/bin/env bash
# Every output that cannot be written (issue 16): a full disk (/dev/full) and
# a directory in its place. Each is exit 66 with one stderr line naming the
# file; one found before the run costs no run; one that fails while it is
# written, after the run, leaves every other output and the report written.
# Then two outputs on one file, or an output on an input (64), and a
# standard output closed (141) or full (66).
# Most of these failures are told after sc_start: in the sanitizer build they
# are the test that AddressSanitizer follows an exception there
# (docs/testing.md, "The sanitizer build").
#   outputs.sh SPINLAB GOOD_ELF WORKDIR
set -u
spinlab=$1 good=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
failures=0
fail() {
  echo "FAIL: $*"
  sed 's/^/    /' err.txt | head -10
  failures=$((failures + 1))
}

# after_run PATTERN WRITTEN -- ARGS...: a run of hello cut at 20000 cycles
# (its own exit would be 124) with ARGS exits 66 with the one stderr line
# PATTERN, and writes each file of WRITTEN: the report (*.json named r.json)
# whole with its stop reason, the others not empty. w/ is fresh each time.
after_run() {
  local pattern=$1 written=$2
  shift 3
  "$spinlab" run "$good" -q --max-cycles 20000 "$@" >/dev/null 2>err.txt
  local got=$? f
  if [ "$got" -ne 66 ] || [ "$(wc -l <err.txt)" -ne 1 ] || ! grep -Eq -- "$pattern" err.txt; then
    fail "spinlab run $* -> exit $got (want 66 and one line matching $pattern)"
    return
  fi
  for f in $written; do
    if [ ! -s "$f" ] || { [ "${f##*/}" = r.json ] && ! grep -q '"reason": "cycle_limit"' "$f"; }; then
      fail "spinlab run $* -> 66, but $f is not written"
      return
    fi
  done
  echo "ok: spinlab run $* -> 66: $(cat err.txt); written: $written"
}

# before_run PATTERN -- ARGS...: refused before the run: 66, the one line, no
# report written.
before_run() {
  local pattern=$1
  shift 2
  "$spinlab" run "$good" -q --max-cycles 20000 --report w/r.json "$@" >/dev/null 2>err.txt
  local got=$?
  if [ "$got" -ne 66 ] || [ "$(wc -l <err.txt)" -ne 1 ] || ! grep -Eq -- "$pattern" err.txt || [ -f w/r.json ]; then
    fail "spinlab run $* -> exit $got (want 66, one line matching $pattern, no report)"
  else
    echo "ok: spinlab run $* -> 66 before the run: $(cat err.txt)"
  fi
}

fresh() { rm -rf w && mkdir w; }
full='No space left on device$'
all='w/t.vcd w/t.gtkw w/t.addr.filter w/t.json w/r.json'

# The report.
fresh
after_run "^spinlab: /dev/full: writing the report failed: $full" "w/t.vcd w/t.gtkw w/t.json" \
  -- --vcd w/t.vcd --timeline w/t.json --report /dev/full
fresh && mkdir w/r.json
before_run '^spinlab: w/r\.json: cannot write the report here: it is a directory$' --
# The timeline.
fresh
after_run "^spinlab: /dev/full: writing the timeline failed: $full" "w/t.vcd w/t.gtkw w/r.json" \
  -- --vcd w/t.vcd --timeline /dev/full --report w/r.json
fresh && mkdir w/d
before_run '^spinlab: w/d: cannot write the timeline here: it is a directory$' -- --timeline w/d
# The VCD: no save file for a trace that is not whole.
fresh
after_run "^spinlab: /dev/full: writing the VCD trace failed: $full" "w/t.json w/r.json" \
  -- --vcd /dev/full --timeline w/t.json --report w/r.json
fresh && mkdir w/d
before_run '^spinlab: w/d: cannot write the VCD trace: Is a directory$' -- --vcd w/d
# The save file: the VCD and its filters are written before it.
fresh && ln -s /dev/full w/t.gtkw
after_run "^spinlab: w/t\.gtkw: writing the GTKWave file failed: $full" "w/t.vcd w/t.addr.filter w/t.json w/r.json" \
  -- --vcd w/t.vcd --timeline w/t.json --report w/r.json
fresh && mkdir w/t.gtkw
after_run '^spinlab: w/t\.gtkw: cannot write the GTKWave file: Is a directory$' "w/t.vcd w/t.switch.filter w/r.json" \
  -- --vcd w/t.vcd --report w/r.json
# A filter: the save file that would name it is not written.
fresh && ln -s /dev/full w/t.insn.filter
after_run "^spinlab: w/t\.insn\.filter: writing the GTKWave file failed: $full" "w/t.vcd w/t.json w/r.json" \
  -- --vcd w/t.vcd --timeline w/t.json --report w/r.json
[ -e w/t.gtkw ] && fail "a save file was written without its insn filter"
fresh && mkdir w/t.switch.filter
after_run '^spinlab: w/t\.switch\.filter: cannot write the GTKWave file: Is a directory$' "w/t.vcd w/t.json w/r.json" \
  -- --vcd w/t.vcd --timeline w/t.json --report w/r.json
# Two failures: the first is the line, and the rest is still written.
fresh && ln -s /dev/full w/t.gtkw
after_run "^spinlab: /dev/full: writing the timeline failed: $full" "w/t.vcd w/r.json" \
  -- --vcd w/t.vcd --timeline /dev/full --report w/r.json
# Everything writable: the control, exit 124 with nothing on stderr.
fresh
"$spinlab" run "$good" -q --max-cycles 20000 --vcd w/t.vcd --timeline w/t.json --report w/r.json >/dev/null 2>err.txt
code=$?
for f in $all; do [ -s "$f" ] || fail "the control run wrote no $f"; done
[ "$code" -eq 124 ] && [ ! -s err.txt ] || fail "the control run -> exit $code (want 124, no stderr)"

# Two outputs on one file, or an output on a file the run reads: before,
# one output silently lost the other (exit 0), and `--vcd victim.elf` turned
# the ELF into text. Now 64 before the run, one line naming both and the
# path, and nothing in w/ written or changed.
# shared PATTERN -- ARGS...: `spinlab ARGS` is that.
snapshot() { (cd w && find . -printf '%p %y %s %T@\n' | sort && find . -type f -exec md5sum {} + | sort); }
shared() {
  local pattern=$1
  shift 2
  local before
  before=$(snapshot)
  "$spinlab" "$@" >/dev/null 2>err.txt
  local got=$?
  if [ "$got" -ne 64 ] || [ "$(wc -l <err.txt)" -ne 1 ] || ! grep -Eq -- "$pattern" err.txt; then
    fail "spinlab $* -> exit $got (want 64 and one line matching $pattern)"
  elif [ "$(snapshot)" != "$before" ]; then
    fail "spinlab $* -> 64, but w/ changed"
  else
    echo "ok: spinlab $* -> 64: $(cat err.txt)"
  fi
}
one='are one file: one output would lose the other; give each its own name$'
fresh
shared "^spinlab: --report w/x\.out and --vcd w/x\.out $one" -- run "$good" --vcd w/x.out --report w/x.out
shared "^spinlab: --timeline w/same\.vcd and --vcd w/same\.vcd $one" -- run "$good" --vcd w/same.vcd --timeline w/same.vcd
shared "^spinlab: --report w/x\.gtkw and --vcd w/x\.vcd's GTKWave save file w/x\.gtkw $one" \
  -- run "$good" --vcd w/x.vcd --report w/x.gtkw
shared "^spinlab: --timeline w/x\.insn\.filter and --vcd w/x\.vcd's filter file w/x\.insn\.filter $one" \
  -- run "$good" --vcd w/x.vcd --timeline w/x.insn.filter
shared "^spinlab: --report w/x\.json and trace\.vcd w/x\.json $one" -- run "$good" --set 'trace.vcd="w/x.json"' --report w/x.json
# Spelt apart: ../, a symbolic link (to a file still to be written).
mkdir w/d && ln -s x.json w/link.json
shared "^spinlab: --report w/d/\.\./x\.json and --timeline w/x\.json $one" -- run "$good" --report w/d/../x.json --timeline w/x.json
shared "^spinlab: --report w/x\.json and --timeline w/link\.json $one" -- trace "$good" --report w/x.json --timeline w/link.json
# Two names of one existing file (a hard link): the same file by device and inode.
: >w/a.json && ln w/a.json w/b.json
shared "^spinlab: --report w/a\.json and --timeline w/b\.json $one" -- run "$good" --report w/a.json --timeline w/b.json
# A sweep: every run's two files would be one (FILE.KEY-VALUE.json), and its sweep file is not written.
shared "^spinlab: --report w/s\.json and --timeline w/s\.json $one" \
  -- sweep "$good" --param machine.harts=1..2 --report w/s.json --timeline w/s.json

# The run's inputs: the ELF (also by a hard link), the config, a plugin.
cp "$good" w/victim.elf && ln w/victim.elf w/hard.elf
printf '[firmware]\nprogram = "victim.elf"\n' >w/v.toml
: >w/p.so
printf '[firmware]\nprogram = "victim.elf"\n[[device]]\nname = "t"\nplugin = "p.so"\nbase = 0x10010000\nsize = 0x1000\n' >w/dev.toml
over='an output would overwrite what the run reads; give it another name$'
shared "^spinlab: --vcd w/victim\.elf is the program w/victim\.elf: $over" -- run w/victim.elf --vcd w/victim.elf
shared "^spinlab: --report w/hard\.elf is the program w/victim\.elf: $over" -- run w/victim.elf --report w/hard.elf
shared "^spinlab: --report w/v\.toml is the config w/v\.toml: $over" -- run w/v.toml --report w/v.toml
shared "^spinlab: --timeline w/p\.so is device t's plugin w/p\.so: $over" -- run w/dev.toml --timeline w/p.so
shared "^spinlab: --report w/v\.toml is the config w/v\.toml: $over" -- sweep w/v.toml --param machine.harts=1..2 --report w/v.toml

# The sweep: its CSV on a full standard output, and its sweep file.
# sweep_case STDOUT PATTERN ARGS...: a sweep of two short runs with ARGS and
# its standard output to STDOUT is 66 with the one line PATTERN.
sweep_case() {
  local to=$1 pattern=$2
  shift 2
  "$spinlab" sweep "$good" --param machine.cost.div=1..2 --max-cycles 2000 "$@" >"$to" 2>err.txt
  local got=$?
  if [ "$got" -ne 66 ] || [ "$(wc -l <err.txt)" -ne 1 ] || ! grep -q -- "$pattern" err.txt; then
    fail "sweep $* >$to -> exit $got (want 66 and one line matching $pattern)"
  else
    echo "ok: sweep $* >$to -> 66: $(cat err.txt)"
  fi
}
fresh
sweep_case /dev/full "^spinlab: standard output: $full" --csv
mkdir w/s.json
sweep_case /dev/null '^spinlab: w/s\.json: cannot write the report here: it is a directory$' --report w/s.json
# A FIFO (or, as root, a device such as /dev/full) named as the sweep file is
# refused, not replaced by the file renamed into its place.
mkfifo w/fifo.json
sweep_case /dev/null '^spinlab: w/fifo\.json: is a FIFO, not a sweep file$' --report w/fifo.json
[ -p w/fifo.json ] && echo "ok: the FIFO is still there" || fail "the sweep file replaced the FIFO"

# A standard output that cannot take what spinlab prints
# (sim/cli/standard_output.h), for every command:
# - closed (a pipe whose reader went away: `spinlab run ... | head`). Before,
#   SIGPIPE killed spinlab: exit 141, nothing said, and a run lost its report,
#   its timeline and the end of its VCD. Now a run stops as for SIGTERM, its
#   outputs completed, and every command exits 141 with nothing on stderr.
# - full (/dev/full). Before, disasm exited 70 (an internal error), run and
#   list 0 with their output lost, sweep 66 with words of its own. Now 66,
#   one line `spinlab: standard output: No space left on device`, after
#   every other output is written.
# closed ARGS...: spinlab ARGS with its standard output a pipe whose reading
# end is closed before it starts (no race with a reader), SIGPIPE left as a
# shell leaves it; stderr to err.txt. Prints the exit code (-13: SIGPIPE
# killed it).
closed() {
  python3 -c '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
print(subprocess.run(sys.argv[1:], stdout=w, stderr=open("err.txt", "w")).returncode)' "$spinlab" "$@"
}

# report_says FILE REASON: the report is whole JSON with that stop reason.
report_says() {
  python3 -c 'import json, sys; sys.exit(json.load(open(sys.argv[1]))["stop"]["reason"] != sys.argv[2])' "$1" "$2" 2>/dev/null
}
# whole_traces STEM: the timeline STEM.json is whole JSON; the VCD STEM.vcd
# ends on a whole line, GTKWave's converter reads it, and its save file is there.
whole_traces() {
  python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$1.json" 2>/dev/null || return 1
  [ "$(tail -c 1 "$1.vcd" | od -An -c | tr -d ' ')" = '\n' ] && vcd2fst "$1.vcd" "$1.fst" >/dev/null 2>&1 && [ -s "$1.gtkw" ]
}

# --- closed: 141, nothing on stderr -----------------------------------------
# A run printing without end (every instruction, a deadlock carried on from)
# stops at its next cycle check, its outputs whole.
fresh
got=$(closed trace irq-deadlock --set run.on_deadlock=continue --max-cycles 100000000000000 \
  --report w/r.json --timeline w/t.json --vcd w/t.vcd)
if [ "$got" != 141 ] || [ -s err.txt ]; then
  fail "trace (endless) | closed -> $got (want 141, nothing on stderr)"
elif ! report_says w/r.json interrupted || ! whole_traces w/t; then
  fail "trace (endless) | closed -> 141, but the report, the timeline or the VCD is not whole"
else
  echo "ok: trace (endless) | closed -> 141; report (interrupted), timeline and VCD whole"
fi
# A short run: the same (it may have ended before its output was written,
# and the report says how it ended).
fresh
got=$(closed run "$good" --report w/r.json --timeline w/t.json --vcd w/t.vcd)
if [ "$got" != 141 ] || [ -s err.txt ] || ! { report_says w/r.json interrupted || report_says w/r.json finisher; } ||
  ! whole_traces w/t; then
  fail "run hello | closed -> $got (want 141, nothing on stderr, the outputs whole)"
else
  echo "ok: run hello | closed -> 141; report, timeline and VCD whole"
fi
# A sweep writes its sweep file and every run its report.
fresh
got=$(closed sweep "$good" --param machine.harts=1..2 --report w/s.json)
if [ "$got" != 141 ] || [ -s err.txt ] || [ ! -s w/s.json ] || ! report_says w/s.harts-2.json finisher; then
  fail "sweep | closed -> $got (want 141, nothing on stderr, the sweep file and the reports)"
else
  echo "ok: sweep | closed -> 141; the sweep file and the runs' reports written"
fi
for args in "disasm $good" "list" "list --json" "run --help" "--version"; do
  # shellcheck disable=SC2086
  got=$(closed $args)
  if [ "$got" != 141 ] || [ -s err.txt ]; then
    fail "$args | closed -> $got (want 141, nothing on stderr)"
  else
    echo "ok: $args | closed -> 141"
  fi
done

# --- full: 66 and one line, after the other outputs --------------------------
line='^spinlab: standard output: No space left on device$'
# to_full ARGS...: spinlab ARGS >/dev/full is 66 with that one line.
to_full() {
  "$spinlab" "$@" >/dev/full 2>err.txt
  local got=$?
  if [ "$got" -ne 66 ] || [ "$(wc -l <err.txt)" -ne 1 ] || ! grep -Eq -- "$line" err.txt; then
    fail "$* >/dev/full -> $got (want 66 and the one line)"
    return 1
  fi
  echo "ok: $* >/dev/full -> 66: $(cat err.txt)"
}
fresh
to_full run "$good" --report w/r.json --timeline w/t.json --vcd w/t.vcd &&
  { { report_says w/r.json finisher && whole_traces w/t; } || fail "run >/dev/full: the report or a trace is not whole"; }
fresh
to_full run "$good" -q --report w/r.json && { report_says w/r.json finisher || fail "run -q >/dev/full: no report"; }
fresh
to_full sweep "$good" --param machine.harts=1..2 --report w/s.json &&
  { [ -s w/s.json ] && report_says w/s.harts-1.json finisher || fail "sweep >/dev/full: no sweep file or report"; }
to_full disasm "$good"
to_full list
to_full list --json
to_full run --help
to_full --version
# Two failures: the first (the VCD, in the run) is the line.
fresh
"$spinlab" run "$good" --vcd /dev/full --report w/r.json >/dev/full 2>err.txt
got=$?
if [ "$got" -ne 66 ] || [ "$(wc -l <err.txt)" -ne 1 ] || ! grep -q '^spinlab: /dev/full: writing the VCD trace failed' err.txt ||
  ! report_says w/r.json finisher; then
  fail "run --vcd /dev/full >/dev/full -> $got (want 66, the VCD's line, the report)"
else
  echo "ok: run --vcd /dev/full >/dev/full -> 66: $(cat err.txt)"
fi

echo "$failures failed"
[ "$failures" -eq 0 ]
