#!/bin/bash
# User code named as such in the VCD, the save file and the timeline
# (docs/tracing.md, docs/timeline.md), on firmware/tests/user_mode.c, which
# drops to U mode with mret and comes back with ecalls, faults and an
# interrupt. hart0.priv starts 3 (M), turns 0 (U) at the first mret, which
# is an mret with no trap to return from (the narrative says so), and from
# then on turns 0 at every mret the narrative says goes to user code
# and 3 at every trap it says came from user code, at those very cycles. The
# save file shows hart0.priv below hart0.context through its filter. The
# timeline's user spans run exactly where hart0.priv is 0. (That they nest
# is checked by tests/scenarios/timeline_test.cpp.)
#
#   user_mode.sh SPINLAB JQ USER_MODE_ELF WORKDIR
set -u
here=$(dirname "$0")
. "$here/vcd_lib.sh"

(( $# == 4 )) || { echo "usage: user_mode.sh SPINLAB JQ USER_MODE_ELF WORKDIR" >&2; exit 2; }
spinlab=$1 jq=$2 program=$3 dir=$4
rm -rf "$dir" && mkdir -p "$dir" && cd "$dir" || exit 2

"$spinlab" run "$program" --narrate --vcd um.vcd --timeline um.json > out 2> err
code=$?
[ $code = 0 ] || fail "user_mode exited $code: $(tail -3 out) $(cat err)"
[ ! -s err ] || fail "spinlab wrote to stderr: $(cat err)"
grep -q '^PASS' out || fail "user_mode did not pass: $(tail -3 out)"

# The narrative: "  5843 hart0 user  mret to ..." enters U; an ecall from U,
# a fault in user code or an interrupt of user code leaves it.
awk '$2 == "hart0" && $3 == "user" && / mret to / { print $1 }' out > narrated.entries
grep -E '^ *[0-9]+ hart0 .*(ecall from U-mode|in user code at|interrupting user code)' out | awk '{ print $1 }' > narrated.exits
(( $(wc -l < narrated.entries) >= 10 )) || fail "the narrative tells of $(wc -l < narrated.entries) mrets to user code"
grep -q 'interrupting user code' out || fail "the narrative tells of no interrupt of user code"

# hart0.priv: "time value", the value in binary (11 for M).
vcd_changes um.vcd hart0.priv > priv
[ "$(head -1 priv)" = "0 11" ] || fail "hart0.priv does not start 3 (M): $(head -1 priv)"
awk 'NR > 1 && $2 != "0" && $2 != "11" { print; bad = 1 } END { exit bad }' priv > bad ||
  fail "hart0.priv takes values other than 0 and 3: $(head -3 bad)"
awk 'NR > 1 { print $1, $2 }' priv | awk 'NR % 2 == 1 && $2 != "0" || NR % 2 == 0 && $2 != "11" { print; bad = 1 } END { exit bad }' > bad ||
  fail "hart0.priv does not alternate U, M: $(head -3 bad)"
awk '$2 == "0" { print $1 }' priv > vcd.entries
awk 'NR > 1 && $2 == "11" { print $1 }' priv > vcd.exits
# The first drop to U: an mret (0x30200073) with no trap to return from, before its first exit.
first=$(head -1 vcd.entries)
[ -n "$first" ] && (( first < $(head -1 narrated.exits) )) || fail "hart0.priv first turns 0 at $first, not before the first trap from U"
insn=$(vcd_changes um.vcd hart0.insn | awk -v t="$first" '$1 <= t { v = $2 } END { print v }')
[ "$(bin2dec "$insn")" = $((0x30200073)) ] || fail "at cycle $first, where hart0.priv turns 0, hart0.insn is not mret: $insn"
grep -E "^ *$first hart0 user .* mret to .*\(no trap to return from: the first entry to user code\)$" out > /dev/null ||
  fail "the narrative does not tell of the first entry to user code at $first"
cmp -s vcd.entries narrated.entries ||
  fail "hart0.priv turns 0 at other cycles than the narrative's mrets to user code: $(diff vcd.entries narrated.entries | head -5)"
cmp -s vcd.exits narrated.exits ||
  fail "hart0.priv turns 3 at other cycles than the narrative's traps from user code: $(diff vcd.exits narrated.exits | head -5)"

# The save file: hart0.priv below hart0.context, decimal, through um.priv.filter.
grep -A4 -xF 'hart0.context[31:0]' um.gtkw | tr '\n' ' ' | grep -q '^hart0.context\[31:0\] @2024 ^8 um.priv.filter hart0.priv\[1:0\] ' ||
  fail "um.gtkw does not show hart0.priv below hart0.context with um.priv.filter: $(grep -A4 -xF 'hart0.context[31:0]' um.gtkw)"
grep -qx '0 ?DarkGreen?user' um.priv.filter || fail "um.priv.filter does not name 0 user"

# The timeline: user spans, whole (not the pieces of a cut), from each entry to each exit.
"$jq" -r '.traceEvents[] | select(.name == "user" and .ph == "B" and (.args.continued | not)) | .args.cycle' um.json > tl.entries
"$jq" -r '.traceEvents[] | select(.name == "user" and .ph == "E" and (.args.continues | not)) | .args.end_cycle' um.json > tl.exits
"$jq" -r '.traceEvents[] | select(.name == "user" and .ph == "E" and .args.continues == null) | .args.ended' um.json |
  sort -u > tl.ended
cmp -s tl.entries vcd.entries || fail "the timeline's user spans begin at other cycles than hart0.priv turns 0: $(diff tl.entries vcd.entries | head -5)"
cmp -s tl.exits vcd.exits || fail "the timeline's user spans end at other cycles than hart0.priv turns 3: $(diff tl.exits vcd.exits | head -5)"
grep -qx 'exception:ecall-u' tl.ended || fail "no user span ended by exception:ecall-u: $(cat tl.ended)"
grep -qx 'software interrupt' tl.ended || fail "no user span ended by an interrupt: $(cat tl.ended)"
exit 0
