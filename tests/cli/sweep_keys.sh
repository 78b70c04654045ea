#!/usr/bin/env bash
# Every key that `spinlab sweep --help`, docs/sweep.md and the README name is
# a real key, and every example sweep command in them is one spinlab takes:
# each is run with --emit-commands, which checks TARGET, every --param and
# --set key and the --expect word as a sweep does, and runs nothing.
#   sweep_keys.sh SPINLAB DOCS/sweep.md README.md
set -u
spinlab=$1
fail() { echo "FAIL: $*"; exit 1; }
rm -rf keys && mkdir keys && cd keys || exit 1
checked=0

# One example: the command up to a pipe or redirection, with its own files
# dropped and --emit-commands --report added, so that nothing runs.
check() {
  local line=$1
  line=${line%%|*}
  line=${line%%#*}
  line=${line%%>*}
  line=${line//\$SLURM_ARRAY_TASK_ID/1}
  line=${line//\$SLURM_CPUS_PER_TASK/1}
  case $line in *TARGET* | *'[--'*) return 0 ;; esac  # a synopsis, not an example
  local -a words kept=()
  eval "words=($line)"
  [ "${words[0]##*/}" = spinlab ] && [ "${words[1]}" = sweep ] || return 0
  case " ${words[*]} " in *" --merge "*) return 0 ;; esac
  local i=2
  while [ $i -lt ${#words[@]} ]; do
    case ${words[$i]} in
      --plot | --report | --shard | --jobs | -j | --vcd | --timeline) i=$((i + 2)) ;;
      --emit-commands | --csv | --narrate | --explain) i=$((i + 1)) ;;
      *) kept+=("${words[$i]}"); i=$((i + 1)) ;;
    esac
  done
  "$spinlab" sweep "${kept[@]}" --emit-commands --report k.json >/dev/null 2>err.txt ||
    fail "$2: \`$1\`: $(cat err.txt)"
  checked=$((checked + 1))
}

# The help's examples, and each KEY=VALUE it names (tried on pushoff-order,
# which has every key the help names: its own timer_phase and the machine's).
help=$("$spinlab" sweep --help) || fail "sweep --help"
while IFS= read -r l; do check "$l" "sweep --help"; done < <(echo "$help" | sed -n 's/^ *\(spinlab sweep .*\)/\1/p')
for kv in $(echo "$help" | grep -oE '\b[a-z_]+(\.[a-z_]+)+=[-0-9.:]+'); do
  key=${kv%%=*} value=${kv#*=}
  value=${value%%..*}
  "$spinlab" sweep pushoff-order --param "$key=$value..$value" --emit-commands --report k.json >/dev/null 2>err.txt ||
    fail "sweep --help names $kv: $(cat err.txt)"
  checked=$((checked + 1))
done
# The docs' and the README's: every line that starts a sweep command.
for doc in "$2" "$3"; do
  while IFS= read -r l; do check "$l" "$(basename "$doc")"; done < <(sed -n 's/^ *\(\(build\/\)\{0,1\}spinlab sweep .*\)/\1/p' "$doc")
done
# docs/sweep.md's example table is what the sweep prints today.
want=$(awk '/^spinlab sweep pushoff-order .*--expect irq-deadlock$/ {f = 1; next}
            f == 1 && /^```$/ {n++; if (n == 3) exit; next} f == 1 && n == 2' "$2")
got=$("$spinlab" sweep pushoff-order --param firmware.params.timer_phase=150..156 --expect irq-deadlock)
[ $? -eq 1 ] || fail "the --expect example did not exit 1"
[ -n "$want" ] && [ "$got" = "$want" ] || { echo "$got"; fail "docs/sweep.md's --expect table is stale:"$'\n'"$want"; }
# A key that is not one is caught here: the check can fail.
( check "spinlab sweep pushoff-order --param timer.phase_cycles=0..100:10" "self-test" ) >/dev/null &&
  fail "the check passed a key that does not exist"
[ "$checked" -ge 12 ] || fail "only $checked examples found"
echo "sweep_keys ok: $checked examples and keys checked"
