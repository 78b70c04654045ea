#!/usr/bin/env bash
# A screenshot of GTKWave showing a spinlab trace with its save file, taken
# on a virtual X server (Xvfb): GTKWave opens, draws, is photographed and
# is killed. The README's picture comes from here, and so do the GTKWave
# tests' (tests/trace/gtkwave_open.sh).
#
#   scripts/screenshot.sh [--tcl SCRIPT] [--log FILE] OUT.png FILE.vcd [FILE.gtkw]
#   scripts/screenshot.sh --run SPINLAB SCENARIO OUT.png
#
# The first form photographs an existing trace (FILE.gtkw defaults to the
# one spinlab wrote next to FILE.vcd); --tcl has GTKWave run a Tcl script
# once it has loaded them (its output goes to the log); --log keeps what
# GTKWave printed. The second runs `SPINLAB run SCENARIO --vcd` in a
# temporary directory first; the README's picture is
#
#   scripts/screenshot.sh --run build/spinlab irq-deadlock docs/images/gtkwave-irq-deadlock.png
#
# Needs gtkwave, xvfb (Xvfb), x11-utils (xwininfo) and imagemagick
# (import, convert); scripts/setup.sh installs them. Exits non-zero when
# GTKWave does not come up or the picture cannot be taken.
set -euo pipefail

size=1280x720
die() {
  echo "screenshot.sh: $*" >&2
  exit 1
}

if [ "${1:-}" = --run ]; then
  [ $# = 4 ] || die "usage: screenshot.sh --run SPINLAB SCENARIO OUT.png"
  spinlab=$(realpath "$2") scenario=$3 out=$(realpath "$4") self=$(realpath "$0")
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  # In the trace's directory: GTKWave's title shows the path it was given.
  cd "$tmp"
  # A deadlock (exit 126) or a failing program is still a trace to show.
  "$spinlab" run "$scenario" --vcd "$scenario.vcd" > run.out 2>&1 || true
  [ -s "$scenario.gtkw" ] || die "spinlab wrote no save file: $(tail -5 run.out)"
  "$self" "$out" "$scenario.vcd"
  exit
fi

tcl="" log=/dev/null
while [ $# -gt 0 ]; do
  case $1 in
    --tcl) tcl=$2; shift 2 ;;
    --log) log=$2; shift 2 ;;
    -*) die "unknown option $1" ;;
    *) break ;;
  esac
done
[ $# = 2 ] || [ $# = 3 ] || die "usage: screenshot.sh [--tcl SCRIPT] [--log FILE] OUT.png FILE.vcd [FILE.gtkw]"
out=$1 vcd=$2 gtkw=${3:-${2%.vcd}.gtkw}
[ -r "$vcd" ] || die "no trace $vcd"
[ -r "$gtkw" ] || die "no save file $gtkw"

# Our own X server, never the user's screen. Xvfb picks a free display
# number itself and says which (-displayfd): xvfb-run -a guesses one, and two
# guesses made at once (tests in parallel) pick the same number, when one
# GTKWave finds no X server and prints its usage. -noreset: by default an X
# server resets when its last client leaves, and a client that connects
# during the reset is refused; the xwininfo polls below come and go while
# GTKWave connects.
xtmp=$(mktemp -d)
Xvfb -displayfd 3 -screen 0 "${size}x24" -nolisten tcp -noreset 3> "$xtmp/display" 2> "$xtmp/xvfb.log" &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$xtmp"' EXIT
for _ in $(seq 100); do
  [ -s "$xtmp/display" ] && break
  kill -0 $xvfb 2>/dev/null || die "Xvfb did not start: $(tail -3 "$xtmp/xvfb.log")"
  sleep 0.1
done
[ -s "$xtmp/display" ] || die "Xvfb gave no display in 10 s"
export DISPLAY=:$(head -1 "$xtmp/display")

opts=()
[ -n "$tcl" ] && opts=(-S "$tcl")
# Wait for its main window ("GTKWave - irq.vcd"), then give it time to draw.
# A GTKWave that could not reach the server at all is started again (twice
# at most); any other exit is a failure.
pid=
trap 'kill $pid $xvfb 2>/dev/null || true; rm -rf "$xtmp"' EXIT
for attempt in 1 2 3; do
  gtkwave "${opts[@]}" "$vcd" "$gtkw" > "$log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    kill -0 $pid 2>/dev/null || break
    xwininfo -root -tree 2>/dev/null | grep -q '"GTKWave - ' && break 2
    sleep 0.2
  done
  kill -0 $pid 2>/dev/null && break
  grep -q 'Could not initialize GTK' "$log" && [ $attempt -lt 3 ] && { sleep 1; continue; }
  die "gtkwave exited before it opened a window: $(grep -v '^ ' "$log" | head -3)"
done
xwininfo -root -tree 2>/dev/null | grep -q '"GTKWave - ' || die "gtkwave opened no window in 20 s"
sleep 2
import -window root -depth 8 -define png:exclude-chunks=date,time "$out"
kill $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
