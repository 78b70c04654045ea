#!/bin/bash
# bench.smoke: bench/run.sh --quick must end well and print a full table,
# and its CSV must hold a row with sensible numbers for every case and hart
# count. The tracing and QEMU columns are checked when those exist.
#
#   smoke_test.sh RUN.SH SPINLAB FIRMWARE_DIR
set -u
if (($# != 3)); then
  echo "usage: smoke_test.sh RUN.SH SPINLAB FIRMWARE_DIR" >&2
  exit 2
fi
run=$1 spinlab=$2 fwdir=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-smoke.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

"$run" --quick --spinlab "$spinlab" --firmware "$fwdir" --csv "$tmp/out.csv" >"$tmp/out.txt" 2>&1
rc=$?
cat "$tmp/out.txt"
fail() { echo "bench.smoke: FAIL: $*"; exit 1; }
((rc == 0)) || fail "run.sh exited with $rc"

grep -q '^case  *harts  *cycles  *instret' "$tmp/out.txt" || fail "no table header"
head -1 "$tmp/out.csv" | grep -q ',vcd_ns_per_byte$' || fail "no vcd_ns_per_byte column in the CSV"
has_vcd=0
"$spinlab" run --help | grep -q -- '--vcd' && has_vcd=1
has_qemu=0
command -v qemu-system-riscv32 >/dev/null && has_qemu=1

for c in compute contended idle; do
  for n in 1 2; do
    grep -q "^$c  *$n  *[0-9]" "$tmp/out.txt" || fail "no table row for $c at $n harts"
    # case,harts,cycles,instret,off_ms,Minsn_per_s,Mhartcyc_per_s,ms_per_sim_s,on_ms,...,qemu_ms
    awk -F, -v c="$c" -v n="$n" -v vcd="$has_vcd" -v qemu="$has_qemu" '
      $1 == c && $2 == n {
        found = 1
        if (!($3 > 0 && $4 > 0 && $5 > 0 && $6 > 0 && $7 > 0 && $8 > 0)) bad = "a rate or count is not positive"
        if (vcd && !($9 > 0)) bad = "no tracing-on time"
        if (qemu && !($12 > 0)) bad = "no QEMU time"
        if (NF != 26) bad = "the row has " NF " fields, not 26"
        # Per byte of VCD: left empty when start-up is all of the traced run.
        if ($26 != "" && !($26 > 0)) bad = "vcd_ns_per_byte is not positive"
      }
      END {
        if (!found) { print "no CSV row"; exit 1 }
        if (bad != "") { print bad; exit 1 }
      }' "$tmp/out.csv" >"$tmp/why" || fail "$c at $n harts: $(cat "$tmp/why")"
  done
done
echo "bench.smoke: ok"
