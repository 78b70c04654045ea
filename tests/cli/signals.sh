#!/usr/bin/env bash
# Ctrl-C (SIGINT) and SIGTERM end a run cleanly (issue 16, defect 3): exit
# 130 / 143, the summary says so, the report's stop reason is "interrupted",
# the timeline is whole JSON and the VCD ends on a whole line (vcd2fst reads
# it). Before, all of them were lost and the VCD stopped mid-record.
#   signals.sh SPINLAB WORKDIR
set -u
spinlab=$1 work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# try SIGNAL CODE: a deadlocked machine spinning for ever (the monitor told
# to carry on), stopped in the middle of its VCD. The signal goes once the
# VCD passes 1 MB: the run has started, so the handlers are in (a sanitizer
# build takes over a second to get there, and a signal before them is lost:
# a background job of a script ignores SIGINT, and SIGTERM would kill it).
try() {
  local sig=$1 want=$2
  rm -f t.vcd t.json r.json out.txt err.txt
  "$spinlab" run irq-deadlock --set run.on_deadlock=continue --max-cycles 100000000000000 --vcd t.vcd \
    --timeline t.json --report r.json \
    >out.txt 2>err.txt &
  local pid=$!
  for _ in $(seq 300); do [ "$(stat -c %s t.vcd 2>/dev/null || echo 0)" -gt 1000000 ] && break; sleep 0.1; done
  kill -"$sig" "$pid"
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && { kill -9 "$pid"; fail "$sig: still running 10 s after the signal"; return; }
  wait "$pid"
  local got=$?
  [ "$got" -eq "$want" ] || fail "$sig: exit $got, want $want"
  grep -q "stopped at cycle [0-9]* .*: interrupted (SIGINT, SIGTERM or a closed standard output)" out.txt || fail "$sig: no summary: $(tail -3 out.txt)"
  [ -s err.txt ] && fail "$sig: stderr: $(cat err.txt)"
  python3 -c 'import json,sys; r=json.load(open("r.json")); sys.exit(r["stop"]["reason"] != "interrupted")' ||
    fail "$sig: the report's stop reason is not interrupted"
  python3 -c 'import json; json.load(open("t.json"))' || fail "$sig: the timeline is not whole JSON"
  # The last line of the VCD is a whole value change or timestamp, and
  # GTKWave's converter reads the whole file.
  [ "$(tail -c 1 t.vcd | od -An -c | tr -d ' ')" = '\n' ] || fail "$sig: the VCD does not end with a whole line"
  vcd2fst t.vcd t.fst >/dev/null 2>&1 || fail "$sig: vcd2fst cannot read the VCD"
  [ "$failures" -eq 0 ] && echo "ok: $sig -> $got, $(grep -o 'stopped at cycle [0-9]*' out.txt), report, timeline, VCD whole"
  rm -f t.vcd t.fst
}

try INT 130
try TERM 143

echo "$failures failed"
[ "$failures" -eq 0 ]
