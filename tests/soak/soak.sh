#!/bin/bash
# Long runs stay flat (issue 16): the resident memory of a 4-hart run with
# steady work does not grow, and with --vcd the trace grows linearly with the
# cycles while the memory still does not.
#
#   soak.sh rss SPINLAB OUT_DIR CYCLES    the run, RSS sampled
#   soak.sh vcd SPINLAB OUT_DIR CYCLES    the run with --vcd: RSS and the VCD's size sampled
#
# The work: global-cli (configs/scenarios/20-global-cli.toml) at its 4 harts,
# with more rounds than CYCLES allows, so the run ends at the cycle limit and
# is the same work all along: every hart's own data, the shared data under
# global_cli (IPIs that stop the other harts), timer interrupts updating it
# too, and the lock monitor following all of it.
#
# VmRSS is read from /proc/PID/status every 0.1 s (10 ms with --vcd). The first 20% of the run
# (by wall time; by cycles with --vcd) is start-up and warm-up: the monitor
# learns the locks and threads, the VCD writer's queue reaches its size. After
# that, RSS may not rise more than TOLERANCE_KB above its value then. 1 MiB:
# steady runs measured here vary by a few pages (under 100 kB), while a leak
# of one 48-byte trace event every 10^4 cycles would add 1 MiB in 2x10^8
# cycles. The end (writing the save file and its filters, after the last
# cycle) is left out: it allocates what it writes. Under ASan (a Debug build)
# VmRSS creeps by ~80 bytes per 1000 cycles of this work, the same with
# ASAN_OPTIONS=quarantine_size_mb=1, while release stays flat to the kB over
# 2x10^8 cycles: the sanitizer build runs fewer cycles (tests/soak/CMakeLists.txt).
#
# With --vcd, each sample also reads the VCD's size and the last "#cycle" in
# it (the writer flushes in 1 MiB blocks; the bytes after that timestamp are
# its cycle's). From 20% of the cycles on, the bytes per cycle since then must
# stay within RATE_TOLERANCE_PCT of the whole window's, at every sample at
# least 10% of the cycles later. The work is not quite uniform: computed from
# every 2000th cycle of a whole trace, the worst such sample is 1.2% off at
# 10^6 cycles and 2.1% off at 2.5x10^5.
set -u
mode=$1 spinlab=$(realpath "$2") out=$3 cycles=$4
TOLERANCE_KB=1024
RATE_TOLERANCE_PCT=5
# The traced run is short (10^6 cycles in release: 1.4 s on a quiet CI
# machine, where sampling every 0.1 s left 3 samples after the warm-up):
# it is sampled every 10 ms.
INTERVAL=0.1
[ "$mode" = vcd ] && INTERVAL=0.01

rm -rf "$out"
mkdir -p "$out"
cd "$out" || exit 1

args=(run global-cli --set firmware.params.rounds=100000000 --max-cycles "$cycles")
[ "$mode" = vcd ] && args+=(--vcd trace.vcd)
# The sampler forks only its sleep (and, with --vcd, what reads the file),
# so as not to take from the run's CPU: the time is bash's $EPOCHREALTIME.
"$spinlab" "${args[@]}" >stdout.txt 2>stderr.txt &
pid=$!
start=${EPOCHREALTIME/./}
: >samples.txt  # ms since start, VmRSS kB[, VCD bytes, last cycle in the VCD]
while kill -0 "$pid" 2>/dev/null; do
  rss=""
  while read -r key value _; do
    [ "$key" = VmRSS: ] && rss=$value && break
  done 2>/dev/null <"/proc/$pid/status"
  [ -n "$rss" ] || break
  ms=$(((${EPOCHREALTIME/./} - start) / 1000))
  if [ "$mode" = vcd ]; then
    size=$(stat -c %s trace.vcd 2>/dev/null || echo 0)
    # The last whole "#cycle" line of the first `size` bytes (the file grows
    # meanwhile: a later block's cycle would not match the size), without the
    # last line, which the block may have cut.
    at=""
    if [ "$size" -gt 65536 ]; then
      at=$(tail -c +$((size - 65535)) trace.vcd | head -c 65536 | head -n -1 | grep -a '^#[0-9]*$' | tail -1)
    fi
    echo "$ms $rss $size ${at#\#}" >>samples.txt
  else
    echo "$ms $rss" >>samples.txt
  fi
  sleep "$INTERVAL"
done
wait "$pid"
code=$?
total_ms=$(((${EPOCHREALTIME/./} - start) / 1000))

fail() {
  echo "FAIL: $*"
  echo "samples (ms, VmRSS kB[, VCD bytes, cycle]):"
  cat samples.txt
  exit 1
}

if [ "$code" != 124 ] || ! grep -q "^spinlab: stopped at cycle $cycles " stdout.txt; then
  fail "the run did not end at the cycle limit ($cycles) with exit 124: exit $code; $(grep -m1 '^spinlab: stopped' stdout.txt) $(head -3 stderr.txt)"
fi

# The samples that count: after the warm-up and before the end.
if [ "$mode" = vcd ]; then
  awk -v c="$cycles" 'NF == 4 && $4 != "" && $4 >= 0.2 * c && $4 < c' samples.txt >window.txt
else
  awk -v t="$total_ms" '$1 >= 0.2 * t && $1 < 0.95 * t' samples.txt >window.txt
fi
n=$(wc -l <window.txt)
[ "$n" -ge 5 ] || fail "only $n samples after the warm-up: the run ($total_ms ms) was too short to tell"

read -r base max < <(awk 'NR == 1 {b = $2; m = $2} $2 > m {m = $2} END {print b, m}' window.txt)
echo "$mode: $cycles cycles in $total_ms ms; $n samples after the warm-up; VmRSS $base kB then, at most $max kB (tolerance $TOLERANCE_KB kB)"
[ $((max - base)) -le "$TOLERANCE_KB" ] || fail "VmRSS rose $((max - base)) kB during the run (tolerance $TOLERANCE_KB kB)"

if [ "$mode" = vcd ]; then
  report=$(awk -v c="$cycles" -v tol="$RATE_TOLERANCE_PCT" '
    NR == 1 {c0 = $4; s0 = $3; next}
    {cy[NR] = $4; sz[NR] = $3; last = NR}
    END {
      if (last < 2 || cy[last] <= c0) {print "bad: the VCD did not grow"; exit}
      rate = (sz[last] - s0) / (cy[last] - c0)
      worst = 0
      for (i = 2; i <= last; i++) {
        if (cy[i] - c0 < 0.1 * c) continue
        r = (sz[i] - s0) / (cy[i] - c0)
        d = (r - rate) / rate * 100
        if (d < 0) d = -d
        if (d > worst) {worst = d; at = cy[i]; wr = r}
      }
      verdict = worst > tol ? "bad" : "good"
      printf "%s: %.1f bytes per cycle; the furthest sample from it: %.1f at cycle %d (%.2f%%)\n", verdict, rate, wr, at, worst
    }' window.txt)
  echo "vcd: $report"
  [ "${report%%:*}" = good ] || fail "the VCD did not grow linearly with the cycles: $report"
  rm -f trace.vcd  # hundreds of MB
fi
echo "PASS"
