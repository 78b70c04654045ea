#!/bin/bash
# Runs spinlab twice on the same target, skipping idle cycles (the default)
# and with --no-idle-skip, and passes when both print exactly the same
# (firmware output and summary, cycle counts included) and exit the same.
# Also says how long each run took.
#
#   same_with_idle_skip.sh SPINLAB TARGET [spinlab run args...]
set -u

if (( $# < 2 )); then
  echo "usage: same_with_idle_skip.sh SPINLAB TARGET [spinlab run args...]" >&2
  exit 2
fi
spinlab=$1
shift

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() {  # run NAME [extra args...]: output to $work/NAME.out, exit code to $work/NAME.rc
  local name=$1
  shift
  local start end
  start=$(date +%s%N)
  timeout "${E2E_TIMEOUT_SECONDS:-300}" "$spinlab" run "$@" >"$work/$name.out" 2>&1
  echo $? >"$work/$name.rc"
  end=$(date +%s%N)
  echo "$name: exit code $(cat "$work/$name.rc"), $(( (end - start) / 1000000 )) ms"
}

run skipping "$@"
run every_cycle "$@" --no-idle-skip

status=0
if ! diff -u --label skipping --label every-cycle "$work/skipping.out" "$work/every_cycle.out"; then
  echo "FAIL: the output differs (above: - skipping idle cycles, + visiting every cycle)"
  status=1
else
  echo "same output:"
  cat "$work/skipping.out"
fi
if [[ $(cat "$work/skipping.rc") != $(cat "$work/every_cycle.rc") ]]; then
  echo "FAIL: exit codes differ"
  status=1
fi
exit $status
