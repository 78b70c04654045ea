#!/bin/bash
# Runs a command and passes when it exits with the expected code and its
# output (stdout and stderr together) has, for each PATTERN, a line that
# matches it (an extended regular expression, grep -E).
#
#   expect_output.sh CODE [PATTERN...] -- COMMAND [ARG...]
set -u

if (( $# < 3 )); then
  echo "usage: expect_output.sh CODE [PATTERN...] -- COMMAND [ARG...]" >&2
  exit 2
fi
want=$1
shift
patterns=()
while (( $# > 0 )) && [[ $1 != -- ]]; do
  patterns+=("$1")
  shift
done
if (( $# < 2 )); then
  echo "expect_output.sh: missing -- COMMAND" >&2
  exit 2
fi
shift

out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$@" >"$out" 2>&1
got=$?
cat "$out"

status=0
if (( got != want )); then
  echo "FAIL: exit code $got, expected $want (124 is a timeout)"
  status=1
fi
for p in "${patterns[@]}"; do
  if ! grep -Eq -- "$p" "$out"; then
    echo "FAIL: no line of the output matches: $p"
    status=1
  fi
done
exit $status
