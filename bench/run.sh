#!/bin/bash
# The benchmark: how fast spinlab simulates, and how that compares with QEMU
# running the same ELF. Builds nothing: point it at a build directory.
#
#   bench/run.sh [options] [BUILD_DIR]        (BUILD_DIR default: build)
#
# Cases (firmware/bench/): compute (every hart busy on its own data),
# contended (every hart fighting for one amoswap spinlock) and idle (every
# hart asleep in wfi between 100 Hz timer interrupts). Each runs at 1, 2, 4
# and 8 harts, R times (default 5), on spinlab with tracing off and on
# qemu-system-riscv32. The table shows median times and the rates computed
# from them and from spinlab's summary (cycles, instructions retired per
# hart).
#
# Tracing (--vcd) writes ~100 bytes per busy hart-cycle (GBs for a whole
# run), so it is measured on the first T cycles only: 16e6 / N for compute
# and contended (16e6 hart-cycles, about 1.3 GB of VCD), 1e10 (100 simulated
# seconds) for idle, or --trace-cycles T. The on/off column compares that
# with the same bounded run, tracing off, both less the start-up time (the
# same run stopped at cycle 1). Each traced run writes a new file: the last
# run's is removed before it, outside the time measured.
#
# Options:
#   -r, --runs R        runs per measurement (default 5; the median is used)
#   --trace-runs R      runs of each bounded run, tracing on and off
#                       (default: the same as --runs)
#   --trace-cycles T    the bound of the tracing runs (default: per case)
#   --harts "LIST"      hart counts (default "1 2 4 8"; up to 64, e.g.
#                       "1 4 16 64")
#   --hart-cycles H     stop every run, tracing off, at H / N cycles (N
#                       harts: the same hart-cycles at every count) instead
#                       of running it to its end: for many harts, where the
#                       contended case's whole run takes too long. The runs
#                       then end at the cycle limit; QEMU, which cannot stop
#                       at a cycle, is skipped
#   --cases "LIST"      cases (default "compute contended idle")
#   --time wall|cpu     the time the table uses (default wall); cpu is user +
#                       system time, which other load on the machine disturbs
#                       less. The CSV always has both.
#   --set KEY=VALUE     passed to every spinlab run (repeatable), e.g.
#                       --set 'run.monitor="off"' to measure without the
#                       lock monitor (on by default, as in spinlab)
#   --quick             the tiny _quick ELFs, 1 run, harts "1 2": a smoke test
#   --csv FILE          also write the results as CSV
#   --no-trace          skip the tracing-on runs
#   --no-qemu           skip QEMU
#   --spinlab PATH      the simulator (default BUILD_DIR/spinlab)
#   --firmware DIR      the ELFs (default BUILD_DIR/firmware)
#   --qemu PATH         QEMU (default: qemu-system-riscv32 on the PATH)
#   --keep DIR          keep every run's output (and the VCDs: large) in DIR
#
# Needs only bash, coreutils, sed and awk (no python, no hyperfine). The VCDs
# are written to TMPDIR (default /tmp) and deleted after each run; one can be
# about a GB. Exit code: 0 when every run ended as expected (and printed the
# same on spinlab and QEMU), 1 otherwise, 2 for a bad command line.
set -u
export LC_ALL=C  # bash's time prints 0.5, not 0,5

usage() { sed -n '2,/^set -u/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

runs=5
trace_runs=""
trace_cycles=""
harts_list="1 2 4 8"
cases="compute contended idle"
clock=wall
quick=0
csv=""
trace=1
use_qemu=1
spinlab=""
fwdir=""
qemu=""
keep=""
build=""
sets=()
runs_given=0
harts_given=0
hart_cycles=""

while (($#)); do
  case $1 in
    -r | --runs) runs=$2; runs_given=1; shift 2 ;;
    --trace-runs) trace_runs=$2; shift 2 ;;
    --trace-cycles) trace_cycles=$2; shift 2 ;;
    --harts) harts_list=$2; harts_given=1; shift 2 ;;
    --hart-cycles) hart_cycles=$2; shift 2 ;;
    --cases) cases=$2; shift 2 ;;
    --time) clock=$2; shift 2 ;;
    --set) sets+=(--set "$2"); shift 2 ;;
    --quick) quick=1; shift ;;
    --csv) csv=$2; shift 2 ;;
    --no-trace) trace=0; shift ;;
    --no-qemu) use_qemu=0; shift ;;
    --spinlab) spinlab=$2; shift 2 ;;
    --firmware) fwdir=$2; shift 2 ;;
    --qemu) qemu=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "run.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    *)
      if [[ -n $build ]]; then echo "run.sh: one build directory only" >&2; exit 2; fi
      build=$1; shift ;;
  esac
done
build=${build:-build}
spinlab=${spinlab:-$build/spinlab}
fwdir=${fwdir:-$build/firmware}
if ((quick)); then
  ((runs_given)) || runs=1
  ((harts_given)) || harts_list="1 2"
fi
trace_runs=${trace_runs:-$runs}
for r in "$runs" "$trace_runs"; do
  if ! [[ $r =~ ^[1-9][0-9]*$ ]]; then echo "run.sh: --runs/--trace-runs want a positive integer" >&2; exit 2; fi
done
for n in $harts_list; do
  if ! [[ $n =~ ^[1-9][0-9]*$ ]]; then echo "run.sh: --harts wants numbers, got $n" >&2; exit 2; fi
done
if [[ -n $hart_cycles ]]; then
  if ! [[ $hart_cycles =~ ^[1-9][0-9]*$ ]]; then echo "run.sh: --hart-cycles wants a positive integer" >&2; exit 2; fi
  use_qemu=0  # QEMU runs the whole program: nothing to compare with
fi
if [[ -n $trace_cycles && ! $trace_cycles =~ ^[1-9][0-9]*$ ]]; then
  echo "run.sh: --trace-cycles wants a positive integer" >&2
  exit 2
fi
if [[ $clock != wall && $clock != cpu ]]; then echo "run.sh: --time wants wall or cpu" >&2; exit 2; fi
if [[ ! -x $spinlab ]]; then
  echo "run.sh: no simulator at $spinlab (build first, or give the build directory)" >&2
  exit 2
fi
if ((use_qemu)); then
  qemu=${qemu:-$(command -v qemu-system-riscv32)}
  if [[ -z $qemu || ! -x $qemu ]]; then
    echo "run.sh: qemu-system-riscv32 not found: QEMU columns left empty (--qemu PATH)" >&2
    use_qemu=0
  fi
fi
# Tracing is measured only if this spinlab has it.
trace_note=""
if ((trace)) && ! "$spinlab" run --help 2>/dev/null | grep -q -- '--vcd'; then
  trace=0
  trace_note="not measurable yet: this spinlab has no --vcd option"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/spinlab-bench.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
if [[ -n $keep ]]; then mkdir -p "$keep" || exit 2; fi
failed=0

# Large enough for the idle case (300 simulated seconds = 3e10 cycles at
# 100 MHz; the default limit is 1e9).
max_cycles=100000000000

# trace_bound CASE N: the cycles the tracing runs simulate (see the top).
trace_bound() {
  if [[ -n $trace_cycles ]]; then echo "$trace_cycles"
  elif [[ $1 == idle ]]; then echo 10000000000
  else echo $((16000000 / $2))
  fi
}

# QEMU as tests/e2e/run_qemu.sh runs it (the hart cut down to what spinlab
# has; -icount shift=0: one instruction per ns, the harts in turn on one host
# thread, like spinlab), plus sleep=off: with every hart in wfi, QEMU jumps to
# the next timer event instead of waiting for the host's clock, or the idle
# case would take its 300 simulated seconds in real time.
qemu_cpu=rv32,c=false,f=false,d=false,v=false,h=false,s=false,u=false
qemu_cpu+=,zba=false,zbb=false,zbc=false,Zihintpause=false,sstc=false
qemu_cpu+=,mmu=false,pmp=false,debug=false,marchid=0,mimpid=0

# median: the median of the numbers on stdin, one a line.
median() {
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) exit 1
    if (NR % 2) printf "%.6f\n", v[(NR + 1) / 2]
    else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# timed OUT TIMES CMD...: runs CMD with stdout to OUT and stderr to OUT.err,
# appends "WALL CPU" (seconds; CPU = user + system) to the file TIMES,
# returns CMD's exit code.
timed() {
  local out=$1 times=$2 rc
  shift 2
  local TIMEFORMAT="%R %U %S"
  { time "$@" >"$out" 2>"$out.err" </dev/null; } 2>"$out.time"
  rc=$?
  tail -n 1 "$out.time" | awk '{ printf "%s %.3f\n", $1, $2 + $3 }' >>"$times"
  return $rc
}

# measure NAME RUNS WANT CMD...: runs CMD RUNS times and sets $wall and $cpu
# to the median wall and CPU times (seconds), $t to the one --time chose.
# The first run's output is kept in $work/NAME.out. Reports a run whose exit
# code is not in WANT (a list: "0" or "0 124").
measure() {
  local name=$1 n=$2 want=" $3 " i rc
  shift 3
  rm -f "$work/$name.times"
  for ((i = 1; i <= n; i++)); do
    # A traced run does not pay for the last one's file: truncating a GB of
    # page cache is the kernel freeing it, in the truncating process.
    rm -f "$work/trace.vcd"
    timed "$work/$name.run" "$work/$name.times" "$@"
    rc=$?
    if ((i == 1)); then cp "$work/$name.run" "$work/$name.out"; fi
    if [[ -n $keep ]]; then
      cp "$work/$name.run" "$keep/$name.$i.out"
      cp "$work/$name.run.err" "$keep/$name.$i.err"
    fi
    if [[ $want != *" $rc "* ]]; then
      echo "run.sh: $name: exit code $rc, want $want: $*" >&2
      tail -n 5 "$work/$name.run" "$work/$name.run.err" | sed 's/^/    /' >&2
      failed=1
    fi
  done
  wall=$(cut -d ' ' -f 1 "$work/$name.times" | median)
  cpu=$(cut -d ' ' -f 2 "$work/$name.times" | median)
  if [[ $clock == wall ]]; then t=$wall; else t=$cpu; fi
}

# summary FILE: sets cycles, mhz and instret (the sum over harts) from
# spinlab's end-of-run summary:
#   spinlab: stopped at cycle C (T ms at F MHz): ...
#     hartN: I instructions retired, ...
summary() {
  local re='^spinlab: stopped at cycle \([0-9]*\) (.* at \([0-9.]*\) MHz).*'
  cycles=$(sed -n "s/$re/\1/p" "$1")
  mhz=$(sed -n "s/$re/\2/p" "$1")
  instret=$(awk '/^  hart[0-9]+: [0-9]+ instructions retired/ { s += $2 } END { printf "%d\n", s }' "$1")
  [[ -n $cycles && -n $mhz ]]
}

# same_output QEMU_OUT SPINLAB_OUT: QEMU printed the firmware's output and
# nothing else; spinlab prints the same, then its summary (the lock monitor's
# findings go to stderr).
same_output() { [[ -s $1 ]] && head -c "$(wc -c <"$1")" "$2" | cmp -s - "$1"; }

# Arithmetic on numbers that may be missing ("": not measured).
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b != "" && b + 0 != 0) printf "%.6f\n", a / b }'; }
ms() { awk -v s="$1" 'BEGIN { if (s != "") printf "%.3f\n", s * 1000 }'; }
fmt() { awk -v x="$1" -v f="$2" 'BEGIN { if (x == "") print "-"; else printf f "\n", x }'; }

suffix=""
((quick)) && suffix=_quick

echo "spinlab benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), load average $(cut -d ' ' -f 1-3 /proc/loadavg)"
echo "spinlab: $spinlab"
if ((use_qemu)); then echo "qemu: $qemu ($("$qemu" --version | head -n 1))"; fi
echo "runs per measurement: $runs (bounded tracing runs: $trace_runs); the median $clock time is used"
echo
echo "commands (N = harts, ELF = $fwdir/bench_CASE$suffix.elf):"
if [[ -n $hart_cycles ]]; then
  echo "  off:  $spinlab run ELF --set machine.harts=N --max-cycles $hart_cycles/N${sets[*]:+ ${sets[*]}}"
else
  echo "  off:  $spinlab run ELF --set machine.harts=N --max-cycles $max_cycles${sets[*]:+ ${sets[*]}}"
fi
if ((trace)); then
  echo "  on:   $spinlab run ELF --set machine.harts=N --max-cycles T${sets[*]:+ ${sets[*]}} --vcd $work/trace.vcd"
  echo "        against the same without --vcd, less start-up (the same with --max-cycles 1)"
  if [[ -n $trace_cycles ]]; then echo "        T = $trace_cycles"
  else echo "        T = 16000000 / N (compute, contended), 10000000000 (idle)"
  fi
else
  echo "  on:   ${trace_note:-skipped (--no-trace)}"
fi
if ((use_qemu)); then
  echo "  qemu: $qemu -machine virt -bios none -cpu $qemu_cpu -smp N -icount shift=0,sleep=off -display none -serial stdio -monitor none -kernel ELF"
fi
echo

columns="case harts cycles instret off_ms Minsn_per_s Mhartcyc_per_s ms_per_sim_s on_ms on_vs_off"
columns+=" vcd_MB qemu_ms vs_qemu time off_wall_ms off_cpu_ms trace_cycles start_wall_ms start_cpu_ms"
columns+=" bounded_off_wall_ms bounded_off_cpu_ms on_wall_ms on_cpu_ms qemu_wall_ms qemu_cpu_ms vcd_ns_per_byte"
if [[ -n $csv ]]; then echo "${columns// /,}" >"$csv" || exit 2; fi
row='%-10s %5s %12s %12s %9s %8s %9s %8s %9s %7s %8s %6s %9s %8s\n'
printf "$row" case harts cycles instret "off ms" "Minsn/s" "Mhcyc/s" "ms/sim-s" "on ms" "on/off" "VCD MB" "ns/B" "qemu ms" "vs qemu"

for c in $cases; do
  elf=$fwdir/bench_$c$suffix.elf
  if [[ ! -f $elf ]]; then
    echo "run.sh: no $elf (is the firmware built?)" >&2
    failed=1
    continue
  fi
  for n in $harts_list; do
    id=$c.$n
    if [[ -n $hart_cycles ]]; then
      measure "$id.off" "$runs" "0 124" "$spinlab" run "$elf" --set "machine.harts=$n" \
        --max-cycles "$(( hart_cycles / n > 0 ? hart_cycles / n : 1 ))" "${sets[@]}"
    else
      measure "$id.off" "$runs" 0 "$spinlab" run "$elf" --set "machine.harts=$n" --max-cycles $max_cycles "${sets[@]}"
    fi
    off=$t off_wall=$wall off_cpu=$cpu
    cycles="" mhz="" instret=""
    if ! summary "$work/$id.off.out"; then
      echo "run.sh: $id: no summary in spinlab's output" >&2
      failed=1
    fi
    ips=$(div "$instret" "$off")
    hcps=$(div "$(awk -v c="$cycles" -v n="$n" 'BEGIN { if (c != "") print c * n }')" "$off")
    sim_s=$(awk -v c="$cycles" -v f="$mhz" 'BEGIN { if (f > 0) printf "%.9f\n", c / (f * 1e6) }')
    ms_per_s=$(div "$(ms "$off")" "$sim_s")

    on="" on_wall="" on_cpu="" bounded="" b_wall="" b_cpu="" ratio_on="" vcd_mb="" ns_b="" tc=""
    start="" s_wall="" s_cpu=""
    if ((trace)); then
      tc=$(trace_bound "$c" "$n")
      measure "$id.start" "$trace_runs" "0 124" "$spinlab" run "$elf" --set "machine.harts=$n" --max-cycles 1 \
        "${sets[@]}"
      start=$t s_wall=$wall s_cpu=$cpu
      measure "$id.bounded" "$trace_runs" "0 124" "$spinlab" run "$elf" --set "machine.harts=$n" --max-cycles "$tc" \
        "${sets[@]}"
      bounded=$t b_wall=$wall b_cpu=$cpu
      measure "$id.on" "$trace_runs" "0 124" "$spinlab" run "$elf" --set "machine.harts=$n" --max-cycles "$tc" \
        "${sets[@]}" --vcd "$work/trace.vcd"
      on=$t on_wall=$wall on_cpu=$cpu
      # Left out when start-up is most of the time (as with --quick).
      ratio_on=$(awk -v on="$on" -v off="$bounded" -v s="$start" \
        'BEGIN { if (off - s > 0.2 * off && on - s > 0) printf "%.6f\n", (on - s) / (off - s) }')
      vcd_bytes=$(stat -c %s "$work/trace.vcd" 2>/dev/null)
      vcd_mb=$(awk -v b="$vcd_bytes" 'BEGIN { if (b != "") printf "%.1f\n", b / 1e6 }')
      # The whole traced run's time per byte of VCD, start-up taken off: the
      # simulation, the writer and the kernel's part in storing the bytes.
      ns_b=$(awk -v on="$on" -v s="$start" -v b="$vcd_bytes" \
        'BEGIN { if (b > 0 && on - s > 0) printf "%.3f\n", (on - s) * 1e9 / b }')
      if [[ -n $keep && -f $work/trace.vcd ]]; then mv "$work/trace.vcd" "$keep/$id.vcd"; fi
      rm -f "$work/trace.vcd"
    fi

    q="" q_wall="" q_cpu="" ratio_q=""
    if ((use_qemu)); then
      measure "$id.qemu" "$runs" 0 timeout 600 "$qemu" -machine virt -bios none -cpu "$qemu_cpu" -smp "$n" \
        -icount shift=0,sleep=off -display none -serial stdio -monitor none -kernel "$elf"
      q=$t q_wall=$wall q_cpu=$cpu
      ratio_q=$(div "$off" "$q")
      if ! same_output "$work/$id.qemu.out" "$work/$id.off.out"; then
        echo "run.sh: $id: spinlab and QEMU printed different things" >&2
        failed=1
      fi
    fi

    printf "$row" "$c" "$n" "${cycles:--}" "${instret:--}" \
      "$(fmt "$(ms "$off")" %.0f)" "$(fmt "$(div "$ips" 1e6)" %.1f)" "$(fmt "$(div "$hcps" 1e6)" %.1f)" \
      "$(fmt "$ms_per_s" %.2f)" "$(fmt "$(ms "$on")" %.0f)" "$(fmt "$ratio_on" %.2f)" "$(fmt "$vcd_mb" %.1f)" \
      "$(fmt "$ns_b" %.2f)" "$(fmt "$(ms "$q")" %.0f)" "$(fmt "$ratio_q" %.2f)"
    if [[ -n $csv ]]; then
      echo "$c,$n,$cycles,$instret,$(ms "$off"),$(div "$ips" 1e6),$(div "$hcps" 1e6),$ms_per_s,$(ms "$on"),$ratio_on,$vcd_mb,$(ms "$q"),$ratio_q,$clock,$(ms "$off_wall"),$(ms "$off_cpu"),$tc,$(ms "$s_wall"),$(ms "$s_cpu"),$(ms "$b_wall"),$(ms "$b_cpu"),$(ms "$on_wall"),$(ms "$on_cpu"),$(ms "$q_wall"),$(ms "$q_cpu"),$ns_b" >>"$csv"
    fi
  done
done

echo
echo "load average at the end: $(cut -d ' ' -f 1-3 /proc/loadavg)"
cat <<END
off ms: median $clock time of a whole run, tracing off (start-up and ELF
loading included). Minsn/s: instructions retired by all harts per second;
Mhcyc/s: cycles x harts per second; ms/sim-s: ms per simulated second.
on ms: the bounded run (the first T cycles) with --vcd; on/off: its time over
the same bounded run's without, both less start-up (VCD MB: the trace's
size; ns/B: the traced run's time per byte of it, start-up taken off). vs qemu: spinlab's time over QEMU's on the same ELF (above 1: spinlab
is slower).
END
if [[ -n $trace_note ]]; then echo "tracing: $trace_note"; fi
exit $failed
