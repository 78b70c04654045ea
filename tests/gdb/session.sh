#!/bin/bash
# GDB sessions against `spinlab run ... --gdb 127.0.0.1:0` (docs/debugging.md):
# gdb-multiarch in batch mode, or a raw socket for what GDB never sends.
# One case per run, named by $4; each step is bounded by a timeout.
# usage: session.sh SPINLAB GDB FIRMWARE_DIR CASE WORKDIR
set -u
SPINLAB=$1 GDB=$2 FW=$3 CASE=$4 W=$5
rm -rf "$W" && mkdir -p "$W"
PID= PORT=
fail() { echo "FAIL ($CASE): $*"; for f in "$W"/err "$W"/out "$W"/gdb.out; do [ -f "$f" ] && { echo "--- $f"; tail -40 "$f"; }; done
         [ -n "$PID" ] && kill "$PID" 2>/dev/null; exit 1; }

# Starts spinlab on TARGET with the rest of the arguments, waiting for GDB
# on a free port, and reads the port from its announcement.
start() {
  "$SPINLAB" run "$@" --gdb 127.0.0.1:0 --report "$W/report.json" >"${OUT:-$W/out}" 2>"$W/err" &
  PID=$!
  for _ in $(seq 200); do
    # Whole lines only: a line still being written would give half a port.
    PORT=$(head -n "$(wc -l <"$W/err")" "$W/err" |
           sed -n 's/^spinlab: waiting for GDB on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p')
    [ -n "$PORT" ] && return
    kill -0 "$PID" 2>/dev/null || fail "spinlab ended before listening"
    sleep 0.05
  done
  fail "no 'waiting for GDB' line on stderr"
}

# Runs gdb-multiarch on ELF with the script on stdin, attached to spinlab.
gdb_batch() {
  cat >"$W/script"
  timeout 60 "$GDB" -nx -batch -ex "set pagination off" -ex "set confirm off" \
    -ex "target remote 127.0.0.1:$PORT" -x "$W/script" "$FW/$1.elf" >"$W/gdb.out" 2>&1
}

# Waits (at most 60 s) for spinlab to end and sets RC to its exit status.
finish() {
  for _ in $(seq 600); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$PID" 2>/dev/null && fail "spinlab still runs 60 s after the session"
  wait "$PID"; RC=$?; PID=
}

has() { grep -q -- "$2" "$1" || fail "no \`$2\` in $1"; }
hasnt() { ! grep -q -- "$2" "$1" || fail "\`$2\` in $1"; }
reason() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["stop"]["reason"])' "$W/report.json"; }

case $CASE in
threads)  # two harts, two threads, named by the monitor
  start other-cpu
  gdb_batch other_cpu <<'G'
break spin_lock
continue
info threads
p $_thread
monitor cycle
kill
G
  has "$W/gdb.out" "Thread 1 (hart0"
  has "$W/gdb.out" "Thread 2 (hart1"
  has "$W/gdb.out" "Breakpoint 1, .*spin_lock"
  has "$W/gdb.out" "^cycle [1-9][0-9]*"
  finish; [ "$RC" = 137 ] || fail "kill: exit $RC, expected 137"
  [ "$(reason)" = killed ] || fail "report's reason $(reason), expected killed";;
break)  # a breakpoint at spin_lock, hit again and again on continue
  start other-cpu
  gdb_batch other_cpu <<'G'
break spin_lock
continue
p/x $pc
continue
p/x $pc
p $pc == &spin_lock
delete
detach
G
  [ "$(grep -c "Breakpoint 1, .*spin_lock" "$W/gdb.out")" = 2 ] || fail "spin_lock's breakpoint not hit twice"
  has "$W/gdb.out" '^\$3 = 1'
  finish; [ "$RC" = 0 ] || fail "detach: exit $RC, expected 0 (the run goes on to its end)"
  [ "$(reason)" = finisher ] || fail "report's reason $(reason)";;
watch)  # a watchpoint on tickslock's lock word: its writes stop the run
  start irq-deadlock
  gdb_batch irq_deadlock <<'G'
watch tickslock.locked
continue
p tickslock.locked
continue
p tickslock.locked
kill
G
  has "$W/gdb.out" "Hardware watchpoint 1: tickslock.locked"
  has "$W/gdb.out" "New value = 1"
  has "$W/gdb.out" "New value = 0"
  finish; [ "$RC" = 137 ] || fail "exit $RC";;
rwatch)  # read and access watchpoints report rwatch/awatch
  start irq-deadlock
  gdb_batch irq_deadlock <<'G'
rwatch ticks
continue
info watchpoints
delete
awatch tickslock.locked
continue
kill
G
  has "$W/gdb.out" "Hardware read watchpoint 1: ticks"
  has "$W/gdb.out" "Value = "
  has "$W/gdb.out" "Hardware access (read/write) watchpoint 2: tickslock.locked"
  finish; [ "$RC" = 137 ] || fail "exit $RC";;
step)  # stepi of one hart with scheduler-locking: one instruction retired; the other hart, behind it in time, stays
  start other-cpu
  gdb_batch other_cpu <<'G'
break spin_lock
continue
delete
set scheduler-locking on
set $other = $pc
thread 1
set $before = $pc
set $retired = $minstret
stepi
p $pc != $before
p $minstret - $retired
stepi
p $minstret - $retired
thread 2
p $pc == $other
info threads
kill
G
  has "$W/gdb.out" "Thread 2 hit Breakpoint 1, spin_lock"
  has "$W/gdb.out" '^\$1 = 1'
  has "$W/gdb.out" '^\$2 = 1'
  has "$W/gdb.out" '^\$3 = 2'
  has "$W/gdb.out" '^\$4 = 1'
  finish; [ "$RC" = 137 ] || fail "exit $RC";;
csr)  # CSRs through the target description; writing a read-only one is an error (each -ex goes on after one)
  start irq-deadlock
  cat >"$W/script" <<'G'
break clockintr
continue
p/x $mcause
p/x $mepc
info registers mstatus
p $mhartid
set $mscratch = 0x1234
p/x $mscratch
G
  timeout 60 "$GDB" -nx -batch -ex "set pagination off" -ex "target remote 127.0.0.1:$PORT" -x "$W/script" \
    -ex 'set $mhartid = 1' -ex 'set $mip = 0' -ex 'p $mhartid' -ex 'info registers mtvec' -ex kill \
    "$FW/irq_deadlock.elf" >"$W/gdb.out" 2>&1
  has "$W/gdb.out" '^\$1 = 0x80000007'
  has "$W/gdb.out" '^mstatus  *0x1880'
  has "$W/gdb.out" '^\$3 = 0'
  has "$W/gdb.out" '^\$4 = 0x1234'
  has "$W/gdb.out" "register 3925 is read-only"
  has "$W/gdb.out" "register 901 is read-only"
  has "$W/gdb.out" '^\$5 = 0'
  has "$W/gdb.out" '^mtvec  *0x8'
  finish; [ "$RC" = 137 ] || fail "exit $RC";;
deadlock)  # the monitor's deadlock stops the run in GDB; continue ends it as spinlab would
  start irq-deadlock
  gdb_batch irq_deadlock <<'G'
continue
info threads
monitor findings
monitor locks
continue
G
  has "$W/gdb.out" "received signal SIGTRAP"
  [ "$(grep -c "DEADLOCK on hart0 at cycle" "$W/gdb.out")" = 2 ] || fail "the finding not on the console at the stop and in monitor findings"
  has "$W/gdb.out" "Thread 1 (hart0, timer interrupt handler, holds tickslock)"
  has "$W/gdb.out" "tickslock"
  has "$W/gdb.out" "exited with code 0176"
  finish; [ "$RC" = 126 ] || fail "exit $RC, expected 126"
  [ "$(reason)" = deadlock ] || fail "report's reason $(reason)";;
reverse)  # from the deadlock stop, back one instruction, forward again, back to a breakpoint
  start irq-deadlock --set run.gdb_checkpoint=2000
  gdb_batch irq_deadlock <<'G'
continue
monitor cycle
p/x $pc
reverse-stepi
monitor cycle
p/x $pc
stepi
p/x $pc
break *kernelvec
reverse-continue
p $pc == &kernelvec
p/x $mcause
monitor cycle
kill
G
  has "$W/gdb.out" "received signal SIGTRAP"
  # The cycle at the deadlock, then an earlier one after reverse-stepi.
  c1=$(sed -n 's/^cycle \([0-9]*\)$/\1/p' "$W/gdb.out" | sed -n 1p)
  c2=$(sed -n 's/^cycle \([0-9]*\)$/\1/p' "$W/gdb.out" | sed -n 2p)
  [ -n "$c1" ] && [ -n "$c2" ] && [ "$c2" -lt "$c1" ] || fail "reverse-stepi: cycle $c1 then $c2, expected it earlier"
  pc1=$(sed -n 's/^\$1 = \(0x[0-9a-f]*\)$/\1/p' "$W/gdb.out")
  pc3=$(sed -n 's/^\$3 = \(0x[0-9a-f]*\)$/\1/p' "$W/gdb.out")
  [ -n "$pc1" ] && [ "$pc1" = "$pc3" ] || fail "stepi after reverse-stepi: pc $pc3, expected the deadlock stop's $pc1"
  # Back to the timer interrupt's entry, before the handler took the lock.
  has "$W/gdb.out" "Breakpoint 1, .*kernelvec"
  has "$W/gdb.out" '^\$4 = 1'
  has "$W/gdb.out" '^\$5 = 0x80000007'
  c3=$(sed -n 's/^cycle \([0-9]*\)$/\1/p' "$W/gdb.out" | sed -n 3p)
  [ -n "$c3" ] && [ "$c3" -lt "$c2" ] || fail "reverse-continue: cycle $c3, expected before $c2"
  finish; [ "$RC" = 137 ] || fail "kill: exit $RC, expected 137"
  pgrep -f "spinlab run irq-deadlock --set run.gdb_checkpoint=2000" >/dev/null && fail "a checkpoint process is left";;
interrupt)  # Ctrl-C (SIGINT to gdb) stops a long run at once
  start irq-deadlock --set run.monitor=off --set run.max_cycles=4000000000
  cat >"$W/script" <<'G'
echo connected\n
continue
monitor cycle
kill
G
  timeout 60 "$GDB" -nx -batch -ex "set pagination off" -ex "target remote 127.0.0.1:$PORT" -x "$W/script" \
    "$FW/irq_deadlock.elf" >"$W/gdb.out" 2>&1 &
  G=$!
  # Only once GDB is connected and about to continue: a Ctrl-C in the middle
  # of its handshake (a loaded machine) is GDB's "target not responding"
  # question, not an interrupt of the run.
  for _ in $(seq 300); do grep -q "^connected" "$W/gdb.out" 2>/dev/null && break; sleep 0.1; done
  grep -q "^connected" "$W/gdb.out" || fail "GDB did not connect in 30 s"
  # To GDB itself, not to `timeout`: timeout passes a signal on to its
  # child and to its process group, and GDB takes a second SIGINT before
  # the stop as "not responding" (that made this test fail under ctest).
  sleep 1; kill -INT "$(pgrep -P $G)"; wait $G
  has "$W/gdb.out" "received signal SIGINT"
  has "$W/gdb.out" "^cycle [1-9][0-9]*"
  finish; [ "$RC" = 137 ] || fail "exit $RC, expected 137";;
end)  # no breakpoint: the run ends, GDB sees the exit code
  start hello
  gdb_batch hello <<'G'
continue
G
  has "$W/gdb.out" "exited normally"
  finish; [ "$RC" = 0 ] || fail "exit $RC"
  has "$W/out" "hello from hart 0"
  has "$W/out" "stopped at cycle 370281 "  # the same run as without GDB
  ;;
raw)  # what GDB never sends: a malformed packet, an unknown one, then the client goes away mid-run
  start irq-deadlock --set run.monitor=off
  CLOCKINTR=$(riscv64-unknown-elf-nm "$FW/irq_deadlock.elf" | awk '$3 == "clockintr" { print $1 }')
  [ -n "$CLOCKINTR" ] || fail "no clockintr in irq_deadlock.elf"
  timeout 60 python3 - "$PORT" "$CLOCKINTR" >"$W/gdb.out" 2>&1 <<'PY' || fail "the raw client failed"
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(10)
def frame(p): return b"$" + p + b"#" + b"%02x" % (sum(p) % 256)
def reply():
    buf = b""
    while not (b"#" in buf and len(buf) >= buf.index(b"#") + 3):
        buf += s.recv(4096)
    body = buf[buf.index(b"$") + 1:buf.index(b"#")]
    s.sendall(b"+")
    return body
def ask(raw):
    s.sendall(raw)
    return reply()
print("bad escape:", ask(frame(b"m}")))
print("m junk:", ask(frame(b"mzz,4")))
print("unknown:", ask(frame(b"qNoSuchThing")))
print("bad thread:", ask(frame(b"Hg99")))
print("stop:", ask(frame(b"?")))
print("break:", ask(frame(b"Z0,%s,4" % sys.argv[2].encode())))
s.sendall(frame(b"c"))
s.close()  # mid-run: the breakpoint's stop finds GDB gone; the run goes on to its end without stops
PY
  has "$W/gdb.out" "bad escape: b.E[.]"
  has "$W/gdb.out" "m junk: b'E"
  has "$W/gdb.out" "unknown: b''"
  has "$W/gdb.out" "bad thread: b'E"
  has "$W/gdb.out" "stop: b'T05thread:1;'"
  has "$W/gdb.out" "break: b'OK'"
  finish; [ "$RC" = 124 ] || fail "exit $RC, expected 124 (the run went on to max_cycles)"
  has "$W/err" "^spinlab: GDB went away at cycle [1-9][0-9]*; the run goes on to its end without stops$"
  [ "$(reason)" = cycle_limit ] || fail "report's reason $(reason)";;
busy)  # a second client while GDB is attached is refused; a second spinlab on the same port cannot listen
  start other-cpu
  cat >"$W/script" <<G
break spin_lock
continue
shell python3 -c 'import socket,sys; s=socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.settimeout(5); print("second client:", s.recv(64))' $PORT
shell timeout 20 "$SPINLAB" run other-cpu --gdb "127.0.0.1:$PORT" >"$W/out2" 2>"$W/err2"; echo \$? >"$W/rc2"
info threads
kill
G
  # The second spinlab starts from the session, while the first still
  # listens: started beside GDB, it could come after the kill and listen
  # itself (a busy machine made that happen).
  timeout 60 "$GDB" -nx -batch -ex "set pagination off" -ex "target remote 127.0.0.1:$PORT" -x "$W/script" \
    "$FW/other_cpu.elf" >"$W/gdb.out" 2>&1
  RC2=$(cat "$W/rc2" 2>/dev/null)
  [ "$RC2" = 69 ] || fail "a second spinlab on port $PORT: exit $RC2, expected 69"
  [ "$(wc -l <"$W/err2")" = 1 ] && grep -q -- "$PORT" "$W/err2" || fail "a second spinlab: $(cat "$W/err2")"
  has "$W/gdb.out" "second client: b''"
  has "$W/gdb.out" "Thread 2 (hart1"
  has "$W/err" "a second GDB client from .* was refused"
  finish; [ "$RC" = 137 ] || fail "kill: exit $RC, expected 137";;
lock)  # scheduler-locking on holds the other hart (pc and minstret unchanged), off lets it run; reverse is refused after a hold
  start other-cpu
  gdb_batch other_cpu <<'G'
break spin_lock
continue
delete
thread 1
set $pc1 = $pc
set $n1 = $minstret
thread 2
set scheduler-locking on
stepi
stepi
stepi
thread 1
p $pc == $pc1
p $minstret - $n1
thread 2
set scheduler-locking off
stepi
stepi
stepi
thread 1
p $minstret - $n1 > 0
thread 2
reverse-stepi
kill
G
  has "$W/gdb.out" "Thread 2 hit Breakpoint 1, spin_lock"
  has "$W/gdb.out" '^\$1 = 1'
  has "$W/gdb.out" '^\$2 = 0'
  has "$W/gdb.out" '^\$3 = 1'
  has "$W/gdb.out" "^spinlab: reverse execution is off: a step or continue held harts that would have run meanwhile"
  has "$W/gdb.out" "Remote failure reply: E.reverse execution is off after a hold changed the run"
  finish; [ "$RC" = 137 ] || fail "exit $RC";;
gone)  # the client goes away in the middle of a long continue: told at once, the run ends as it would
  start irq-deadlock --set run.monitor=off --set run.max_cycles=20000000
  timeout 60 python3 - "$PORT" >"$W/gdb.out" 2>&1 <<'PY' || fail "the raw client failed"
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"$c#63")
time.sleep(0.1)
s.close()
PY
  finish; [ "$RC" = 124 ] || fail "exit $RC, expected 124 (the run went on to max_cycles)"
  [ "$(reason)" = cycle_limit ] || fail "report's reason $(reason)"
  at=$(sed -n 's/^spinlab: GDB went away at cycle \([0-9]*\); the run goes on to its end without stops$/\1/p' "$W/err")
  [ -n "$at" ] && [ "$at" -lt 20000000 ] || fail "the disconnect was told at cycle '$at', not during the continue";;
expect)  # W is --expect's grade; monitor narrate sends the narrative to GDB, not to the terminal
  start irq-deadlock --expect deadlock
  gdb_batch irq_deadlock <<'G'
monitor narrate on
continue
monitor narrate off
continue
G
  has "$W/gdb.out" "narrative on"
  has "$W/gdb.out" "acquire tickslock at spin_lock"
  hasnt "$W/out" "acquire tickslock at spin_lock"
  has "$W/gdb.out" "exited normally"
  finish; [ "$RC" = 0 ] || fail "exit $RC, expected 0 (--expect deadlock met)";;
orphan)  # kill -9 of the first process alone ends every checkpoint process of the run at once
  start irq-deadlock --set run.monitor=off --set run.max_cycles=4000000000 --set run.gdb_checkpoint=200000
  timeout 60 python3 - "$PORT" >"$W/gdb.out" 2>&1 <<'PY' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"$c#63")
time.sleep(30)
PY
  C=$!
  # Until the run has forked a few checkpoints.
  for _ in $(seq 100); do [ "$(pgrep -f -- "--report $W/report.json" | wc -l)" -ge 4 ] && break; sleep 0.1; done
  [ "$(pgrep -f -- "--report $W/report.json" | wc -l)" -ge 4 ] || fail "fewer than 4 processes after 10 s"
  kill -9 "$PID"; wait "$PID" 2>/dev/null; PID=
  sleep 1
  left=$(pgrep -f -- "--report $W/report.json")
  kill "$C" 2>/dev/null
  [ -z "$left" ] || { kill -9 $left; fail "processes left 1 s after kill -9 of the first: $left"; };;
reprint)  # the terminal (a pipe here) shows what a re-run stretch printed once, not twice
  mkfifo "$W/fifo"
  cat "$W/fifo" >"$W/out" &
  C=$!
  OUT=$W/fifo start hello --set run.gdb_checkpoint=20000
  gdb_batch hello <<'G'
break fib
continue
reverse-continue
continue
delete
continue
G
  has "$W/gdb.out" "No more reverse-execution history"
  has "$W/gdb.out" "exited normally"
  finish; wait "$C"
  [ "$RC" = 0 ] || fail "exit $RC"
  [ "$(grep -c "hello from hart 0" "$W/out")" = 1 ] || fail "hello printed $(grep -c "hello from hart 0" "$W/out") times"
  [ "$(grep -c "fib(20) = 6765" "$W/out")" = 1 ] || fail "fib line printed $(grep -c "fib(20)" "$W/out") times";;
*) fail "no such case";;
esac
echo "ok ($CASE)"
