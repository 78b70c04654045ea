#!/bin/bash
# The same run twice gives the same bytes (issue 16): one scenario at each
# hart count, run twice in two directories, its stdout, stderr, exit code,
# report, VCD, GTKWave save file and filters, and timeline compared byte for
# byte. A difference names the first file that differs and where.
#
#   determinism.sh SPINLAB CONFIG OUT_DIR MAX_CYCLES HARTS...
#
# Both runs name their outputs relative to their own directory and the config
# by the same path, so nothing in them depends on where they ran. Every hart
# count is run: `--set machine.harts=N` is accepted from 1 to 64 by every
# scenario, and a firmware that cannot do its job at N says so and exits
# (spin-vs-sleep needs two harts; up panics past its 32 threads at 64): that
# run is compared as any other, and its first line is printed below.
source "$(dirname "$0")/args.sh"

run_once() {  # DIR HARTS
  mkdir -p "$1"
  (cd "$1" && "$spinlab" run "$config" --set machine.harts="$2" --max-cycles "$cycles" \
    --report report.json --vcd trace.vcd --timeline timeline.json >stdout.txt 2>stderr.txt
  echo $? >exit.txt)
}

# Prints the first difference between directories A and B and returns 1, or returns 0.
first_difference() {
  local a=$1 b=$2 f why
  if [ "$(cd "$a" && find . -type f | sort)" != "$(cd "$b" && find . -type f | sort)" ]; then
    echo "the two runs wrote different files:"
    diff <(cd "$a" && find . -type f | sort) <(cd "$b" && find . -type f | sort)
    return 1
  fi
  for f in $(cd "$a" && find . -type f | sort); do
    f=${f#./}
    if ! why=$(cmp -- "$a/$f" "$b/$f" 2>&1); then
      echo "$f differs: $why"
      return 1
    fi
  done
  return 0
}

for harts in "$@"; do
  dir=$out/$harts
  run_once "$dir/a" "$harts"
  run_once "$dir/b" "$harts"
  code=$(cat "$dir/a/exit.txt")
  stopped=$(grep -m1 '^spinlab: stopped' "$dir/a/stdout.txt")
  echo "$name at $harts harts: exit $code; ${stopped#spinlab: }; the firmware's first line: $(head -1 "$dir/a/stdout.txt")"
  # A run that did not happen (a bad config, an internal error) is no evidence.
  if [ "$code" -ge 64 ] && [ "$code" -le 70 ]; then
    echo "FAIL: $name at $harts harts did not run (exit $code): $(head -3 "$dir/a/stderr.txt")"
    fail=1
    continue
  fi
  missing=0
  for f in stdout.txt report.json trace.vcd trace.gtkw timeline.json; do
    if [ ! -s "$dir/a/$f" ]; then
      echo "FAIL: $name at $harts harts wrote no $f"
      missing=1
    fi
  done
  [ "$missing" = 0 ] || { fail=1; continue; }
  if ! why=$(first_difference "$dir/a" "$dir/b"); then
    echo "FAIL: $name at $harts harts, two runs differ: $why (both kept in $dir)"
    fail=1
    continue
  fi
  rm -rf "$dir"  # a 64-hart VCD is tens of MB
done
[ "$fail" = 0 ] && echo "PASS: $name: two runs at $* harts wrote the same bytes"
exit $fail
