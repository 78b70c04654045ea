#!/bin/bash
# GTKWave itself opens every scenario's trace with its save file: each
# scenario runs with --vcd, and scripts/screenshot.sh opens it in GTKWave on
# a virtual X server with a Tcl script that lists what GTKWave shows, then
# takes a screenshot. GTKWave must print no error or warning (a missing
# filter file, save file or trace), show every signal the save file names,
# put the primary marker where the save file says, fit the whole run in the
# window, and draw a picture that is not blank. For irq-deadlock, what
# GTKWave shows at the deadlock marker goes through the filters: the
# handler's context "timer interrupt", the mode "machine", the lock "held by
# hart0", the pc by name.
# A save file naming a filter file that is not there must make the check
# fail (so the check can fail).
#
#   gtkwave_open.sh SPINLAB SCREENSHOT_SH WORKDIR SCENARIO...
set -u
here=$(dirname "$0")
. "$here/vcd_lib.sh"

(( $# >= 4 )) || { echo "usage: gtkwave_open.sh SPINLAB SCREENSHOT_SH WORKDIR SCENARIO..." >&2; exit 2; }
spinlab=$1 screenshot=$2 dir=$3
shift 3
rm -rf "$dir" && mkdir -p "$dir" || exit 2
cd "$dir" || exit 2

# What GTKWave shows, one "check: ..." line each, for the log.
cat > check.tcl <<'EOF'
set sigs [gtkwave::getDisplayedSignals]
puts "check: displayed [llength $sigs]"
puts "check: marker [gtkwave::getMarker]"
puts "check: window [gtkwave::getWindowStartTime] [gtkwave::getWindowEndTime]"
foreach s $sigs { puts "check: value $s = [gtkwave::getTraceValueAtMarkerFromName $s]" }
EOF

# The lines of GTKWave's output that say something went wrong (not the
# check script's, which print the program's names).
complaints() {
  grep -v '^check: ' "$1" | grep -iE 'error|warning|could not|cannot|not found|no such|why:|failed'
}

# open NAME: GTKWave opens NAME.vcd with NAME.gtkw; fails on any complaint.
open_in_gtkwave() {
  local name=$1
  timeout 60 "$screenshot" --tcl "$dir/check.tcl" --log "$name.log" "$name.png" "$name.vcd" "$name.gtkw" 2> "$name.shot.err" ||
    { echo "screenshot.sh failed: $(cat "$name.shot.err") $(tail -5 "$name.log")"; return 1; }
  if complaints "$name.log" > "$name.complaints"; then
    echo "GTKWave complained: $(cat "$name.complaints")"
    return 1
  fi
}

for scenario in "$@"; do
  "$spinlab" run "$scenario" --vcd "$scenario.vcd" --report "$scenario.json" > "$scenario.out" 2> "$scenario.err"
  [ ! -s "$scenario.err" ] || fail "$scenario: spinlab wrote to stderr: $(cat "$scenario.err")"
  [ -s "$scenario.gtkw" ] || fail "$scenario: no save file"
  why=$(open_in_gtkwave "$scenario") || fail "$scenario: $why"
  log=$scenario.log

  # Every signal the save file names is on screen.
  want=$(grep -cvE '^(\[|\*|@|\^|-|$)' "$scenario.gtkw")
  got=$(sed -n 's/^check: displayed //p' "$log")
  [ "$got" = "$want" ] || fail "$scenario: GTKWave shows ${got:-no} signals, the save file names $want"
  # The primary marker where the save file puts it (-1: none).
  read -r _ primary _ < <(grep '^\*' "$scenario.gtkw")
  marker=$(sed -n 's/^check: marker //p' "$log")
  [ "$marker" = "$primary" ] || fail "$scenario: GTKWave's marker is at $marker, the save file says $primary"
  # Zoomed to fit: the window ends after the run, but not far after.
  end=$(( $(sed -n 's/.*"cycles": \([0-9]*\),*$/\1/p' "$scenario.json" | head -1) * 10 ))
  read -r start stop < <(sed -n 's/^check: window //p' "$log")
  [ "$start" = 0 ] || fail "$scenario: the window starts at $start, not 0"
  (( stop >= end && stop <= end + end / 4 )) || fail "$scenario: the window ends at $stop, the run at $end"
  # A picture, not a blank screen.
  [ "$(identify -format %wx%h "$scenario.png")" = 1280x720 ] || fail "$scenario: the screenshot is $(identify -format %wx%h "$scenario.png")"
  colours=$(identify -format %k "$scenario.png")
  (( colours > 20 )) || fail "$scenario: the screenshot has $colours colours: blank?"
  awk -v s="$(convert "$scenario.png" -format '%[fx:standard_deviation]' info:)" 'BEGIN { exit !(s > 0.1) }' ||
    fail "$scenario: the screenshot is nearly uniform: blank?"
done

# At the deadlock, through the filters.
if [ -e irq-deadlock.log ]; then
  value() { sed -n "s/^check: value $1 = //p" irq-deadlock.log; }
  [ "$(value 'hart0.context\[31:0\]')" = "timer interrupt" ] || fail "at the deadlock hart0.context shows '$(value 'hart0.context\[31:0\]')', not timer interrupt"
  [ "$(value 'hart0.priv\[1:0\]')" = machine ] || fail "at the deadlock hart0.priv shows '$(value 'hart0.priv\[1:0\]')', not machine"
  [ "$(value 'locks.tickslock\[7:0\]')" = "held by hart0" ] ||
    fail "at the deadlock locks.tickslock shows '$(value 'locks.tickslock\[7:0\]')', not held by hart0"
  [[ "$(value 'hart0.pc\[31:0\]')" =~ ^spin_lock\+0x[0-9a-f]+$ ]] ||
    fail "at the deadlock hart0.pc shows '$(value 'hart0.pc\[31:0\]')', not spin_lock+OFFSET"
  [[ "$(value 'hart0.insn\[31:0\]')" =~ ^(amoswap|lw|bne|addi) ]] ||
    fail "at the deadlock hart0.insn shows '$(value 'hart0.insn\[31:0\]')', not an instruction of the spin loop"
  [ "$(value 'bus.owner\[6:0\]')" = hart0 ] || [ "$(value 'bus.owner\[6:0\]')" = idle ] ||
    fail "at the deadlock bus.owner shows '$(value 'bus.owner\[6:0\]')', not a name"
  # The held lock is drawn in its filter's colour (DarkRed, 139 0 0).
  red=$(convert irq-deadlock.png -fill black +opaque 'rgb(139,0,0)' -fill white -opaque 'rgb(139,0,0)' -format '%[fx:mean]' info:)
  awk -v r="$red" 'BEGIN { exit !(r > 0.002) }' || fail "irq-deadlock: no lock drawn held (DarkRed) in the screenshot ($red)"

  # A save file whose filter is missing: the check above must catch it.
  sed 's/irq-deadlock\.lock\.filter/missing.lock.filter/' irq-deadlock.gtkw > broken.gtkw
  cp irq-deadlock.vcd broken.vcd
  open_in_gtkwave broken > broken.why && fail "GTKWave opened a save file with a missing filter without a complaint"
  grep -q 'Could not open filter file' broken.why || fail "the missing filter was caught, but not as expected: $(cat broken.why)"
fi
exit 0
