#!/bin/bash
# Runs one firmware ELF on spinlab and on QEMU, and passes when both print the
# same console output and end with the same exit code.
#
#   differential.sh [--harts N] [--machine virt|spike] SPINLAB QEMU ELF [spinlab run args...]
# (--machine: QEMU's machine, run_qemu.sh's; spinlab's is the same either way.)
set -u

harts=1
machine=virt
while [[ ${1-} == --harts || ${1-} == --machine ]]; do
  if [[ $1 == --harts ]]; then harts=$2; else machine=$2; fi
  shift 2
done
if (( $# < 3 )); then
  echo "usage: differential.sh [--harts N] [--machine virt|spike] SPINLAB QEMU ELF [spinlab run args...]" >&2
  exit 2
fi
spinlab=$1
qemu=$2
elf=$3
shift 3
spinlab_args=("$@")
if (( harts != 1 )); then
  spinlab_args+=(--set "machine.harts=$harts")
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$(dirname "$0")/run_qemu.sh" --harts "$harts" --machine "$machine" "$qemu" "$elf" >"$work/qemu.out" 2>"$work/qemu.err"
qemu_rc=$?
timeout 300 "$spinlab" run "$elf" --quiet "${spinlab_args[@]}" >"$work/spinlab.out" 2>"$work/spinlab.err"
spinlab_rc=$?

echo "spinlab run $elf --quiet ${spinlab_args[*]}: exit code $spinlab_rc"
echo "qemu (run_qemu.sh --harts $harts --machine $machine): exit code $qemu_rc"
status=0
if ! diff -u --label qemu --label spinlab "$work/qemu.out" "$work/spinlab.out"; then
  echo "FAIL: the console output differs (above: - qemu, + spinlab)"
  status=1
else
  echo "same console output:"
  cat "$work/spinlab.out"
fi
if (( spinlab_rc != qemu_rc )); then
  echo "FAIL: exit codes differ (124 is a timeout)"
  status=1
fi
for who in spinlab qemu; do
  if [[ -s $work/$who.err ]]; then
    echo "--- $who stderr:"
    cat "$work/$who.err"
  fi
done
exit $status
