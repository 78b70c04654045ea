#!/bin/bash
# GTKWave itself opens every scenario's trace with its save file: each
# scenario runs with --vcd, and scripts/screenshot.sh opens it in GTKWave on
# a virtual X server with a Tcl script that lists what GTKWave shows, then
# takes a screenshot. GTKWave must print no error or warning (a missing
# filter file, save file or trace), show every signal the save file names,
# put the primary marker where the save file says, open where the save file
# says: on the story of the monitor's first deadlock (or finding), with the
# part from its interrupt (or its start) to the finding at least 80 pixels
# wide, or on the whole run when there is no finding; lay the wave area out
# as wide as spinlab assumed (kWaveWidth); show marker names that do not
# overlap; and draw a picture that is not blank. For irq-deadlock, what
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
wave_width=956  # sim/out/gtkwave.h kWaveWidth
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
  # The window GTKWave opened on: where [timestart] says (GTKWave ignores
  # one whose page would run past the trace's end), as wide as the zoom
  # says at kWaveWidth pixels.
  end=$(( $(jq -r .cycles "$scenario.json") * 10 ))
  read -r start stop < <(sed -n 's/^check: window //p' "$log")
  timestart=$(sed -n 's/^\[timestart\] //p' "$scenario.gtkw")
  [ "$start" = "$timestart" ] || fail "$scenario: the window starts at $start, the save file says $timestart"
  zoom=$(grep '^\*' "$scenario.gtkw" | cut -d' ' -f1 | tr -d '*')
  px=$(awk -v z="$zoom" -v a="$start" -v b="$stop" 'BEGIN { printf "%d", 200 * (b - a) / 2^(-z) + 0.5 }')
  (( px >= 950 && px <= 962 )) || fail "$scenario: the wave area is $px pixels wide, spinlab assumes $wave_width"
  story=$(jq -r '[.findings[] | select(.deadlock)][0] // .findings[0] // empty |
                 [(.interrupt.cycle // ([.holds[]?.since, .holds[]?.tested, .waits[]?.since, .chain[]?.from_since, .cycle]
                                        | map(select(. != null and . > 0)) | min)), .cycle] | @tsv' "$scenario.json")
  if [ -z "$story" ]; then
    # No finding: the whole run, with a little room.
    [ "$start" = 0 ] || fail "$scenario: no finding, but the window starts at $start"
    (( stop >= end && stop <= end + end / 8 )) || fail "$scenario: the window ends at $stop, the run at $end"
  else
    # The finding's moment, interrupt (or story start) to finding, is on
    # screen and readable; the view starts after the run's start.
    read -r moment finding <<< "$story"
    (( start > 0 || moment * 10 < 200 )) || fail "$scenario: a finding at $finding, but the window starts at 0"
    (( start <= moment * 10 )) || fail "$scenario: the window starts at $start, after the story's $moment"
    (( stop <= end )) || fail "$scenario: the window ends at $stop, after the trace's end $end"
    right=$(( finding * 10 < stop ? finding * 10 : stop ))
    wide=$(( (right - moment * 10) * wave_width / (stop - start) ))
    (( wide >= 80 )) || fail "$scenario: the story from $moment to $finding is $wide pixels wide"
    (( finding * 10 - stop <= (stop - start) / 100 )) ||
      fail "$scenario: the finding at $finding is off the window ($start..$stop)"
  fi
  # Marker names inside the window, centred on their markers, do not overlap.
  grep '^\*' "$scenario.gtkw" | tr ' ' '\n' | tail -n +3 > marks
  overlaps=$(awk -v a="$start" -v b="$stop" -v w="$wave_width" -v cw=5 -v n=0 '
    FNR == NR { t[FNR] = $1; next }
    /^\[markername\] / { i = index("ABCDEFGHIJKLMNOPQRSTUVWXYZ", substr($0, 14, 1)); name[i] = substr($0, 15) }
    END {
      for (i = 1; i <= 26; i++) {
        if (t[i] < a || t[i] > b) continue
        x = (t[i] - a) * w / (b - a); h = (i in name ? length(name[i]) : 1) * cw / 2
        for (j = 0; j < n; j++) if (x - h < hi[j] && x + h > lo[j]) print "marker " i " at " t[i] " overlaps " who[j]
        lo[n] = x - h; hi[n] = x + h; who[n] = "marker " i " at " t[i]; n++
      }
    }' marks "$scenario.gtkw")
  [ -z "$overlaps" ] || fail "$scenario: marker names overlap: $overlaps"
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
