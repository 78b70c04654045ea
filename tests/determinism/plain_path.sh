#!/bin/bash
# The plain path is exact (issue 14): a run without hooks takes a hart's
# plain instructions (ALU, multiply, divide, jumps and branches that write no
# sp: isa::Hart::plain_entry) in a tight loop and tells the lock monitor
# nothing of them; a run with a tracer steps every instruction through
# step_core and asks every hook. Both must tell the same story: one scenario
# at each hart count, run without and with --vcd, its stdout (the narrative
# and the summary), stderr, exit code, report and timeline compared byte for
# byte, less the lines that name the VCD.
#
#   plain_path.sh SPINLAB CONFIG OUT_DIR MAX_CYCLES HARTS...
source "$(dirname "$0")/args.sh"

run_once() {  # DIR HARTS [--vcd FILE]
  local dir=$1 harts=$2
  shift 2
  mkdir -p "$dir"
  (cd "$dir" && "$spinlab" run "$config" --set machine.harts="$harts" --max-cycles "$cycles" --narrate \
    --report report.json --timeline timeline.json "$@" >stdout.txt 2>stderr.txt
  echo $? >exit.txt)
}

for harts in "$@"; do
  dir=$out/$harts
  run_once "$dir/plain" "$harts"
  run_once "$dir/traced" "$harts" --vcd trace.vcd
  code=$(cat "$dir/plain/exit.txt")
  if [ "$code" -ge 64 ] && [ "$code" -le 70 ]; then
    echo "FAIL: $name at $harts harts did not run (exit $code): $(head -3 "$dir/plain/stderr.txt")"
    fail=1
    continue
  fi
  # The traced run says where its VCD went: in the summary and the report
  # (a line of its own, which may have been the one after the last comma).
  grep -v '^  VCD trace: ' "$dir/traced/stdout.txt" >"$dir/traced/stdout.cut"
  mv "$dir/traced/stdout.cut" "$dir/traced/stdout.txt"
  for d in plain traced; do
    grep -v '"trace.vcd": ' "$dir/$d/report.json" | sed 's/,$//' >"$dir/$d/report.cut"
    mv "$dir/$d/report.cut" "$dir/$d/report.json"
  done
  rm -f "$dir/traced/trace.vcd" "$dir/traced"/trace*.gtkw "$dir/traced"/*.filter* 2>/dev/null
  [ -s "$dir/plain/timeline.json" ] || { echo "FAIL: $name at $harts harts wrote no timeline"; fail=1; continue; }
  differs=0
  for f in stdout.txt stderr.txt exit.txt report.json timeline.json; do
    if ! why=$(cmp -- "$dir/plain/$f" "$dir/traced/$f" 2>&1); then
      echo "FAIL: $name at $harts harts: $f differs without and with --vcd: $why (both kept in $dir)"
      differs=1
    fi
  done
  [ "$differs" = 0 ] || { fail=1; continue; }
  echo "$name at $harts harts: exit $code, $(grep -c . "$dir/plain/stdout.txt") lines of stdout, the same both ways"
  rm -rf "$dir"
done
[ "$fail" = 0 ] && echo "PASS: $name: the same story at $* harts without and with the per-step hooks"
exit $fail
