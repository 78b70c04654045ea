#!/bin/bash
# Runs firmware/tests/arbitration.c on N harts under both bus arbitration
# policies and checks what each must show:
#   round_robin:    every hart's turns within 3% of each other's, and so
#                   are the summary's cycles waiting for the bus;
#   fixed_priority: the highest-numbered hart makes fewer than half of hart
#                   0's turns, and waits for the bus more than 10 times as
#                   long as hart 0.
#
#   arbitration.sh SPINLAB ELF HARTS
set -u

if (( $# != 3 )); then
  echo "usage: arbitration.sh SPINLAB ELF HARTS" >&2
  exit 2
fi
spinlab=$1
elf=$2
harts=$3
last=$((harts - 1))
status=0

for policy in round_robin fixed_priority; do
  out=$(timeout 300 "$spinlab" run "$elf" --set machine.harts="$harts" --set "machine.arbitration=\"$policy\"" 2>&1)
  rc=$?
  echo "--- $policy (exit code $rc)"
  echo "$out"
  if (( rc != 0 )); then
    echo "FAIL: $policy: exit code $rc"
    status=1
    continue
  fi
  # "hart 3: 625 turns" (the program) and "  hart3: ..., 7530 cycles waiting for the bus" (the summary)
  mapfile -t turns < <(echo "$out" | sed -nE 's/^hart ([0-9]+): ([0-9]+) turns$/\2/p')
  mapfile -t waits < <(echo "$out" | sed -nE 's/^  hart[0-9]+: .* ([0-9]+) cycles waiting for the bus$/\1/p')
  if (( ${#turns[@]} != harts || ${#waits[@]} != harts )); then
    echo "FAIL: $policy: expected $harts turn counts and $harts bus waits, found ${#turns[@]} and ${#waits[@]}"
    status=1
    continue
  fi
  min_t=${turns[0]} max_t=${turns[0]} min_w=${waits[0]} max_w=${waits[0]}
  for ((h = 1; h < harts; h++)); do
    (( turns[h] < min_t )) && min_t=${turns[h]}
    (( turns[h] > max_t )) && max_t=${turns[h]}
    (( waits[h] < min_w )) && min_w=${waits[h]}
    (( waits[h] > max_w )) && max_w=${waits[h]}
  done
  if [[ $policy == round_robin ]]; then
    if (( min_t == 0 || (max_t - min_t) * 100 > 3 * min_t )); then
      echo "FAIL: round_robin: turns from $min_t to $max_t, not within 3%"
      status=1
    fi
    if (( min_w == 0 || (max_w - min_w) * 100 > 3 * min_w )); then
      echo "FAIL: round_robin: bus waits from $min_w to $max_w cycles, not within 3%"
      status=1
    fi
  else
    if (( turns[last] * 2 >= turns[0] )); then
      echo "FAIL: fixed_priority: hart $last made ${turns[last]} turns, not fewer than half of hart 0's ${turns[0]}"
      status=1
    fi
    if (( waits[last] <= 10 * (waits[0] + 1) )); then
      echo "FAIL: fixed_priority: hart $last waited ${waits[last]} cycles for the bus, hart 0 ${waits[0]}"
      status=1
    fi
  fi
done
exit $status
