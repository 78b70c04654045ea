#!/bin/bash
# Runs a command and passes when it exits with the expected code.
#
#   expect_exit.sh CODE COMMAND [ARG...]
set -u

if (( $# < 2 )); then
  echo "usage: expect_exit.sh CODE COMMAND [ARG...]" >&2
  exit 2
fi
want=$1
shift
"$@"
got=$?
if (( got != want )); then
  echo "FAIL: exit code $got, expected $want (124 is a timeout)"
  exit 1
fi
exit 0
