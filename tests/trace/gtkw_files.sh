#!/bin/bash
# The GTKWave save file and filters written with --vcd (docs/tracing.md), read
# without GTKWave: a run of the irq-deadlock scenario must write FILE.gtkw
# and its filter files next to the VCD, byte for byte the same in a second
# run, naming only files next to it; a group per hart, the bus, the locks and
# the timer, every signal one the VCD declares; the primary marker at the
# deadlock the JSON report gives, named markers at it and at the timer
# interrupt; filters in GTKWave's "VALUE TEXT" form with the values as
# GTKWave prints them, the pc names agreeing with nm; and the new signals
# (hart0.context, locks.tickslock) agreeing with the report and the lock
# word. With the monitor off there are no lock holder signals. A run of
# preempt-points: hart0.switch agrees with the narrative's switches.
#
#   gtkw_files.sh SPINLAB NM JQ IRQ_DEADLOCK_ELF WORKDIR
set -u
here=$(dirname "$0")
. "$here/vcd_lib.sh"

(( $# == 5 )) || { echo "usage: gtkw_files.sh SPINLAB NM JQ IRQ_DEADLOCK_ELF WORKDIR" >&2; exit 2; }
spinlab=$1 nm=$2 jq=$3 program=$4 dir=$5
rm -rf "$dir" && mkdir -p "$dir/a" "$dir/b" "$dir/off" || exit 2

for run in a b; do
  "$spinlab" run irq-deadlock --vcd "$dir/$run/irq.vcd" --report "$dir/$run/irq.json" > "$dir/$run/out" 2> "$dir/$run/err"
  code=$?
  [ $code = 126 ] || fail "irq-deadlock exited $code, expected 126 (deadlock): $(cat "$dir/$run/err")"
  [ ! -s "$dir/$run/err" ] || fail "spinlab wrote to stderr: $(cat "$dir/$run/err")"
done
cd "$dir/a" || exit 2
files=(irq.gtkw irq.addr.filter irq.insn.filter irq.context.filter irq.mip.filter irq.mie.filter irq.stall.filter irq.bus.filter
       irq.lock.filter irq.priv.filter irq.thread.filter irq.switch.filter)
for f in "${files[@]}"; do
  [ -s "$f" ] || fail "no $f next to irq.vcd"
  cmp -s "$f" "../b/$f" || fail "two identical runs wrote different $f: $(diff "$f" "../b/$f" | head -5)"
done
grep -q "open it with: gtkwave $dir/a/irq.gtkw" out || fail "the summary does not name the save file: $(grep VCD out)"

# Paths: the other files' names alone, which GTKWave resolves next to the save file.
grep -qx '\[dumpfile\] "irq.vcd"' irq.gtkw || fail "no [dumpfile] \"irq.vcd\" line"
grep -qx '\[savefile\] "irq.gtkw"' irq.gtkw || fail "no [savefile] \"irq.gtkw\" line"
! grep -E '^(\[dumpfile\]|\[savefile\]|\^[0-9])' irq.gtkw | grep -q / || fail "a path in irq.gtkw has a directory"
grep '^\^[0-9]' irq.gtkw | cut -d' ' -f2- | sort -u > filters.used
for f in $(cat filters.used); do [ -s "$f" ] || fail "irq.gtkw uses $f, which is not there"; done
[ "$(wc -l < filters.used)" = 11 ] || fail "irq.gtkw uses $(wc -l < filters.used) filter files, expected 11"

# Groups: each opened (@800200) and closed (@1000200) around its signals.
awk '/^@/ { flags = $0; next }
     /^-/ { name = substr($0, 2)
            if (flags == "@800200") { if (open != "") { print "group " name " inside " open; bad = 1 } open = name; groups = groups " " name }
            else if (flags == "@1000200") { if (open != name) { print "group " name " closed, " open " open"; bad = 1 } open = "" }
            next }
     END { if (open != "") { print "group " open " not closed"; bad = 1 } print groups > "groups"; exit bad }' irq.gtkw > groups.bad ||
  fail "groups in irq.gtkw: $(cat groups.bad)"
[ "$(cat groups)" = " locks words hart0 bus timer" ] || fail "the groups are$(cat groups), expected locks words hart0 bus timer"

# Every signal in the save file is one the VCD declares ("hart0.pc[31:0]").
vcd_signals irq.vcd | awk '{ print ($2 == 1 ? $1 : $1 "[" $2 - 1 ":0]") }' | sort > declared
grep -vE '^(\[|\*|@|\^|-|$)' irq.gtkw | sort > shown
[ -s shown ] || fail "irq.gtkw shows no signals"
missing=$(comm -23 shown declared)
[ -z "$missing" ] || fail "irq.gtkw shows signals the VCD does not have: $missing"
for s in 'hart0.pc[31:0]' 'hart0.context[31:0]' 'hart0.priv[1:0]' hart0.in_irq hart0.mstatus_mie 'hart0.mie[31:0]' \
         'hart0.mip[31:0]' 'hart0.stall[1:0]' \
         'bus.owner[6:0]' 'bus.addr[31:0]' 'locks.tickslock[7:0]' 'words.tickslock[31:0]' 'clint.mtime[63:0]'; do
  grep -qxF "$s" shown || fail "irq.gtkw does not show $s"
done
# The lock holder in decimal through the lock filter, the pc in hex through the address filter.
grep -B3 -xF 'locks.tickslock[7:0]' irq.gtkw | grep -qx '@2024' || fail "locks.tickslock is not decimal with a filter (@2024)"
grep -B3 -xF 'hart0.pc[31:0]' irq.gtkw | grep -qx '\^1 irq.addr.filter' || fail "hart0.pc does not use irq.addr.filter"
# hartN.priv right below hartN.context, in decimal through the priv filter.
grep -A4 -xF 'hart0.context[31:0]' irq.gtkw | tr '\n' ' ' | grep -q '^hart0.context\[31:0\] @2024 ^8 irq.priv.filter hart0.priv\[1:0\] ' ||
  fail "hart0.priv is not below hart0.context, decimal with irq.priv.filter: $(grep -A4 -xF 'hart0.context[31:0]' irq.gtkw)"
# hartN.switch right below hartN.thread, in decimal through the switch filter.
grep -A4 -xF 'hart0.thread[15:0]' irq.gtkw | tr '\n' ' ' | grep -q '^hart0.thread\[15:0\] @2024 ^10 irq.switch.filter \[color\] 2 hart0.switch\[2:0\] ' ||
  fail "hart0.switch is not below hart0.thread, decimal with irq.switch.filter: $(grep -A4 -xF 'hart0.thread[15:0]' irq.gtkw)"

# Markers: "*zoom primary A ... Z", times in ns: cycle * 10 at 100 MHz.
deadlock=$("$jq" -r '[.findings[] | select(.deadlock)][0].cycle' irq.json)
irq=$("$jq" -r '[.findings[] | select(.deadlock)][0].interrupt.cycle' irq.json)
end=$("$jq" -r .cycles irq.json)
[[ $deadlock =~ ^[0-9]+$ && $irq =~ ^[0-9]+$ ]] || fail "the report has no deadlock with an interrupt: $deadlock $irq"
read -r zoom primary a b c rest < <(grep '^\*' irq.gtkw)
[ "$primary" = $((deadlock * 10)) ] || fail "the primary marker is at $primary, the deadlock at cycle $deadlock"
[ "$a $b" = "$((irq * 10)) $((deadlock * 10))" ] || fail "markers A B at $a $b, expected the interrupt $((irq * 10)) and the deadlock"
[ "$c" = -1 ] || fail "a marker C at $c: the run took one interrupt"
grep -qx '\[markername\] Ahart0 timer interrupt' irq.gtkw || fail "marker A is not named hart0 timer interrupt"
grep -qx '\[markername\] Birq-deadlock hart0' irq.gtkw || fail "marker B is not named irq-deadlock hart0"
# Zoomed on the story: from before the lock was taken (the hold the handler
# waits for) to the end of the trace, the deadlock; GTKWave shows 2^-zoom ns
# per 200 pixels, and the page (956 pixels) must end inside the trace.
since=$("$jq" -r '[.findings[] | select(.deadlock)][0].holds[0].since' irq.json)
timestart=$(sed -n 's/^\[timestart\] //p' irq.gtkw)
(( timestart > 0 && timestart < since * 10 )) || fail "[timestart] $timestart, not before the hold at cycle $since"
awk -v z="${zoom#\*}" -v a="$timestart" -v t=$((end * 10)) 'BEGIN { px = 200 * (t - a) / 2^(-z); exit !(px > 956 && px < 962) }' ||
  fail "zoom ${zoom#\*} does not end the page from $timestart at the trace's end $((end * 10))"

# Filters: "VALUE TEXT" lines, VALUE as GTKWave prints it (hex: every digit of the width, upper case).
grep -v '^#' irq.addr.filter | grep -vE '^[0-9A-F]{8} [^ ].*$' | head -3 > bad.lines
[ ! -s bad.lines ] || fail "irq.addr.filter has lines not of the form ADDRESS NAME: $(cat bad.lines)"
grep -qx '80000000 _entry' irq.addr.filter || fail "irq.addr.filter does not name 80000000 _entry: $(sed -n 2p irq.addr.filter)"
# Every function nm lists is named at its address; and the word after the lock.
elf=$(sed -n 's/.*addresses of \(.*\) by symbol.*/\1/p' irq.addr.filter)
[ "$elf" = irq_deadlock.elf ] || fail "irq.addr.filter does not say which program: $elf"
"$nm" "$program" | awk 'tolower($2) == "t" { print toupper($1), $3 }' | sort -u > functions
[ "$(wc -l < functions)" -gt 10 ] || fail "nm lists $(wc -l < functions) functions"
while read -r addr name; do
  grep -qx "$addr $name" irq.addr.filter || fail "irq.addr.filter does not name $addr $name (nm): $(grep "^$addr " irq.addr.filter)"
done < functions
lock=$(printf '%08X' "$("$jq" -r '.findings[0].lock.addr' irq.json)")
grep -qx "$lock tickslock" irq.addr.filter || fail "irq.addr.filter does not name the lock word $lock tickslock"
grep -qx '00000007 ?DarkOrange?timer interrupt' irq.context.filter || fail "irq.context.filter: no 00000007 timer interrupt"
grep -qx '0003000B ?DarkMagenta?external interrupt 3' irq.context.filter || fail "irq.context.filter: no 0003000B external interrupt 3"
grep -qx '00000000 process' irq.context.filter || fail "irq.context.filter: no 00000000 process"
grep -qx '1 ?DarkRed?held by hart0' irq.lock.filter || fail "irq.lock.filter: no 1 held by hart0"
grep -qx '0 free' irq.lock.filter || fail "irq.lock.filter: no 0 free"
grep -qx '00000080 MTIP' irq.mip.filter || fail "irq.mip.filter: no 00000080 MTIP"
grep -qx '00000080 MTIE' irq.mie.filter || fail "irq.mie.filter: no 00000080 MTIE"
grep -qx '7F idle' irq.bus.filter || fail "irq.bus.filter: no 7F idle"
grep -qx '0 ?DarkGreen?user' irq.priv.filter || fail "irq.priv.filter: no 0 user"
grep -qx '3 machine' irq.priv.filter || fail "irq.priv.filter: no 3 machine"
grep -qx '2 ?DarkBlue?irq return (point 2)' irq.switch.filter || fail "irq.switch.filter: no 2 irq return (point 2)"
grep -qx '3 ?DarkGreen?from user (point 1)' irq.switch.filter || fail "irq.switch.filter: no 3 from user (point 1)"
# hartN.insn: objdump's text for an AMO; a branch's target relative to its pc.
objdump=${nm%nm}objdump
"$objdump" -d -M no-aliases "$program" > objdump.txt || fail "objdump failed"
amo=$(awk -F'\t' '$3 ~ /^amo/ { gsub(/ /, "", $2); print toupper($2), $3 " " $4; exit }' objdump.txt)
[ -n "$amo" ] || fail "objdump shows no AMO in $program"
grep -qxF "$amo" irq.insn.filter || fail "irq.insn.filter lacks objdump's '$amo'"
read -r at enc ops < <(awk -F'\t' '$3 == "bne" { gsub(/[ :]/, "", $1); gsub(/ /, "", $2); print $1, $2, $4; exit }' objdump.txt)
target=${ops##*,}; target=${target%% *}
rel=$(printf 'bne %s,pc+0x%x' "${ops%,*}" $((0x$target - 0x$at)))
grep -qxF "${enc^^} $rel" irq.insn.filter || fail "irq.insn.filter lacks '${enc^^} $rel' (objdump: $at $ops)"
grep -qx '00000000 (trap entry)' irq.insn.filter || fail "irq.insn.filter: no 00000000 (trap entry)"

# hart0.context: process (0) until the timer interrupt, then 7 (binary 111) from its cycle on.
# hart0.priv: M (3, binary 11) throughout: the scenario has no user code.
[ "$(vcd_changes irq.vcd hart0.priv)" = "0 11" ] || fail "hart0.priv changes in M-mode code: $(vcd_changes irq.vcd hart0.priv | head -3)"
vcd_changes irq.vcd hart0.context > context
[ "$(cat context)" = "0 0"$'\n'"$irq 111" ] || fail "hart0.context changes: $(tr '\n' ' ' < context), expected 0 at 0, 111 at $irq"
# locks.tickslock: held by hart0 (1) four times (the lock table's acquisitions), still at the end;
# each time within the bus latency before the lock word turns 1.
acquired=$("$jq" -r '.locks[] | select(.lock.name == "tickslock") | .acquisitions' irq.json)
vcd_changes irq.vcd locks.tickslock > holder
[ "$(grep -c ' 1$' holder)" = "$acquired" ] || fail "locks.tickslock is taken $(grep -c ' 1$' holder) times, the report says $acquired"
[ "$(tail -1 holder | cut -d' ' -f2)" = 1 ] || fail "locks.tickslock is not held at the end: $(tail -1 holder)"
vcd_changes irq.vcd words.tickslock > word
while read -r t v; do
  [ "$v" = 1 ] || continue
  awk -v t="$t" '$2 == 1 && $1 >= t && $1 <= t + 8 { found = 1 } END { exit !found }' word ||
    fail "locks.tickslock held from $t, but the word does not turn 1 in the next 8 cycles: $(tr '\n' ' ' < word)"
done < holder

# The monitor off: no lock holders, so no locks scope and no locks group.
cd "$dir/off" || exit 2
"$spinlab" run irq-deadlock --set run.monitor=off --max-cycles 20000 --vcd irq.vcd > out 2> err
[ ! -s err ] || fail "spinlab (monitor off) wrote to stderr: $(cat err)"
! vcd_signals irq.vcd | grep -q '^locks\.' || fail "the monitor is off but the VCD has locks.* signals"
! vcd_signals irq.vcd | grep -q '\.thread ' || fail "the monitor is off but the VCD has hartN.thread signals"
! vcd_signals irq.vcd | grep -q '\.switch ' || fail "the monitor is off but the VCD has hartN.switch signals"
[ -s irq.gtkw ] || fail "the monitor is off and no irq.gtkw was written"
! grep -q '^-locks' irq.gtkw || fail "the monitor is off but irq.gtkw has a locks group"
grep -qxF 'words.tickslock[31:0]' irq.gtkw || fail "the monitor is off and irq.gtkw does not show words.tickslock"
grep -q '^\[markername\] Ahart0 timer interrupt' irq.gtkw || fail "the monitor is off and the interrupt has no marker"

# hartN.switch on a real run: preempt-points switches threads out at each of
# Linux's preemption points. hart0.switch changes exactly where the narrative
# tells a switch, to the code of where the thread leaving was (1 kernel code,
# 2 return from an interrupt, 3 trap from user mode, ...), and holds.
mkdir -p "$dir/pp" && cd "$dir/pp" || exit 2
"$spinlab" run preempt-points --vcd pp.vcd --narrate --color never > out 2> err ||
  fail "preempt-points exited $?: $(cat err)"
awk '$2 == "hart0" && / switch / {
       code = "?"
       if (index($0, "in kernel code")) code = 1
       if (index($0, "on return from an interrupt")) code = 2
       if (index($0, "in a trap from user mode")) code = 3
       if (index($0, "inside an interrupt handler")) code = 4
       if (index($0, "in an exception handler")) code = 5
       if (code != last) print $1, code; last = code }' out > want.where
grep -q ' 2$' want.where && grep -q ' 3$' want.where ||
  fail "the narrative tells no switch on return from an interrupt and in a trap from user mode: $(grep ' switch ' out | head -5)"
vcd_changes pp.vcd hart0.switch | tail -n +2 | while read -r t v; do echo "$t $(bin2dec "$v")"; done > got.where
[ "$(vcd_changes pp.vcd hart0.switch | head -1)" = "0 0" ] || fail "hart0.switch is not 0 at cycle 0"
cmp -s want.where got.where || fail "hart0.switch differs from the narrative's switches: $(diff want.where got.where | head -6)"

# A program built with C: hartN.insn holds 16-bit parcels, which the insn
# filter names as objdump does (a c.bnez's target relative to its pc), and
# the addr filter names instructions at 2-aligned addresses.
mkdir -p "$dir/c" && cd "$dir/c" || exit 2
rvc=$(dirname "$program")/rvc.elf
"$spinlab" run "$rvc" --max-cycles 2000 --vcd rvc.vcd > out 2> err
[ ! -s err ] || fail "spinlab (rvc) wrote to stderr: $(cat err)"
"$objdump" -d -M no-aliases "$rvc" > objdump.txt || fail "objdump failed"
read -r at enc ops < <(awk -F'\t' '$3 == "c.bnez" { gsub(/[ :]/, "", $1); gsub(/ /, "", $2); print $1, $2, $4; exit }' objdump.txt)
[ -n "$enc" ] || fail "objdump shows no c.bnez in $rvc"
target=${ops##*,}; target=${target%% *}
rel=$(printf 'c.bnez %s,pc%s0x%x' "${ops%,*}" "$( (( 0x$target >= 0x$at )) && echo + || echo -)" \
      $(( 0x$target >= 0x$at ? 0x$target - 0x$at : 0x$at - 0x$target )))
grep -qxF "$(printf '%08X' 0x$enc) $rel" rvc.insn.filter || fail "rvc.insn.filter lacks '$(printf '%08X' 0x$enc) $rel'"
half=$(awk -F'\t' '$2 ~ /^[0-9a-f][0-9a-f][0-9a-f][0-9a-f] / && $1 ~ /[26ae]:$/ { gsub(/[ :]/, "", $1); print toupper($1); exit }' objdump.txt)
[ -n "$half" ] && grep -q "^$half " rvc.addr.filter || fail "rvc.addr.filter does not name the instruction at $half"
exit 0
