#!/bin/bash
# A run with --vcd, end to end: GTKWave reads the file back unchanged, every
# block's signals are declared, the trace agrees with the run's summary, a
# second run writes the same bytes, and so does a run that visits every
# cycle (--no-idle-skip): skipping idle cycles changes nothing in the trace.
#
#   trace_run.sh SPINLAB VCD2FST FST2VCD WORKDIR HARTS RUN_ARG...
set -u
here=$(dirname "$0")
. "$here/vcd_lib.sh"

(( $# >= 6 )) || { echo "usage: trace_run.sh SPINLAB VCD2FST FST2VCD WORKDIR HARTS RUN_ARG..." >&2; exit 2; }
spinlab=$1 vcd2fst=$2 fst2vcd=$3 dir=$4 harts=$5
shift 5
rm -rf "$dir" && mkdir -p "$dir" || exit 2

for run in a b every_cycle; do
  extra=()
  [ $run = every_cycle ] && extra=(--no-idle-skip)
  "$spinlab" run "$@" "${extra[@]}" --vcd "$dir/$run.vcd" > "$dir/$run.out" 2> "$dir/$run.err" ||
    fail "spinlab exited $? (run $run): $(cat "$dir/$run.err")"
  [ ! -s "$dir/$run.err" ] || fail "spinlab wrote to stderr: $(cat "$dir/$run.err")"
done
vcd=$dir/a.vcd
grep -q "VCD trace: $vcd " "$dir/a.out" || fail "the summary does not name $vcd: $(cat "$dir/a.out")"

# Determinism: the same run, the same bytes.
sum_a=$(sha256sum < "$dir/a.vcd") sum_b=$(sha256sum < "$dir/b.vcd") sum_every=$(sha256sum < "$dir/every_cycle.vcd")
[ "$sum_a" = "$sum_b" ] || fail "two identical runs wrote different VCD files (${sum_a%% *} vs ${sum_b%% *})"
[ "$sum_a" = "$sum_every" ] || fail "--no-idle-skip wrote a different VCD file: $(cmp "$dir/a.vcd" "$dir/every_cycle.vcd")"

check_with_gtkwave "$vcd" "$vcd2fst" "$fst2vcd" "$dir"

# The declared signals, exactly.
{
  for ((h = 0; h < harts; h++)); do
    printf 'hart%d.%s\n' $h "pc 32" $h "insn 32" $h "mstatus_mie 1" $h "mip 32" $h "mie 32" \
                         $h "in_irq 1" $h "stall 2" $h "retired 64" $h "context 32" $h "priv 2" \
                         $h "thread 16" $h "switch 3" $h "irq_depth 8"  # the lock monitor's thread, where it switched, its irq depth (on by default)
  done
  printf '%s\n' "bus.owner 7" "bus.busy 1" "bus.addr 32" "bus.kind 2" "clint.mtime 64"
  for ((l = 1; l <= 31; l++)); do echo "plic.line$l 1"; done
} | sort > "$dir/want.signals"
vcd_signals "$vcd" | sort > "$dir/got.signals"
cmp -s "$dir/want.signals" "$dir/got.signals" ||
  fail "declared signals differ from the expected ones: $(diff "$dir/want.signals" "$dir/got.signals" | head -10)"

# The trace ends at the cycle the run stopped at, with mtime = cycle / 10
# (machine.mtime_divider), and every hart ran.
stop=$(sed -n 's/^spinlab: stopped at cycle \([0-9]*\).*/\1/p' "$dir/a.out")
[ -n "$stop" ] || fail "no stop cycle in the summary"
last_time=$(grep '^#' "$vcd" | tail -1)
[ "$last_time" = "#$stop" ] || fail "the trace ends at $last_time, the run stopped at cycle $stop"
mtime=$(vcd_changes "$vcd" clint.mtime | tail -1)
[ "$(bin2dec "${mtime#* }")" = $((stop / 10)) ] || fail "mtime at $stop is ${mtime#* } (binary), expected $((stop / 10))"
for ((h = 0; h < harts; h++)); do
  pcs=$(vcd_changes "$vcd" "hart$h.pc" | wc -l)
  (( pcs > 10 )) || fail "hart$h.pc changes only $pcs times"
done
busy=$(vcd_changes "$vcd" bus.busy | wc -l)
(( busy > 10 )) || fail "bus.busy changes only $busy times"

# A hart parked in wfi: its last stall is wfi (3), and its last retired
# count is the summary's.
while read -r hart retired; do
  last_stall=$(vcd_changes "$vcd" "$hart.stall" | tail -1)
  [ "${last_stall#* }" = 11 ] || fail "$hart is parked but its last stall is ${last_stall#* } (binary), not wfi"
  last_retired=$(vcd_changes "$vcd" "$hart.retired" | tail -1)
  [ "$(bin2dec "${last_retired#* }")" = "$retired" ] ||
    fail "$hart retired $retired instructions, the trace says $(bin2dec "${last_retired#* }")"
done < <(sed -n 's/^  \(hart[0-9]*\): \([0-9]*\) instructions retired, pc park.*/\1 \2/p' "$dir/a.out")
exit 0
