#!/usr/bin/env bash
# Names a user types, end to end (docs/loading.md, docs/config.md): a
# misspelt command, bundled name, config key or firmware param gets one
# stderr line with the nearest names and the documented exit code; a
# scenario's program runs the scenario and says so; disasm takes bundled
# names; a negative param is refused naming the --set.
#   names.sh SPINLAB FIRMWARE_DIR
set -u
spinlab=$1 fw=$2
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

cd "$tmp" || exit 1  # bundled names work from any directory

# expect CODE LINE -- ARGS...: exit code CODE, stderr exactly LINE, no stdout.
expect() {
  local code=$1 line=$2
  shift 3
  "$spinlab" "$@" >out.txt 2>err.txt
  local got=$?
  if [ "$got" -ne "$code" ] || [ "$(cat err.txt)" != "$line" ] || [ -s out.txt ]; then
    fail "spinlab $* -> exit $got (want $code), stderr:"
    sed 's/^/    /' err.txt
    echo "  want: $line"
  else
    ok "spinlab $* -> $got: $line"
  fi
}

# --- did you mean ------------------------------------------------------------
expect 64 'spinlab: unknown command `rnu`; did you mean `run`? (try spinlab --help)' -- rnu
expect 64 'spinlab: unknown command `frobnicate` (try spinlab --help)' -- frobnicate
expect 64 'spinlab: unknown command `rnu`; did you mean `run`? (try spinlab --help)' -- help rnu

# --- help COMMAND is COMMAND --help --------------------------------------------
for c in run sweep; do
  "$spinlab" "$c" --help >want.txt 2>&1
  for h in help --help -h; do
    "$spinlab" "$h" "$c" >got.txt 2>got.err
    code=$?
    [ "$code" -eq 0 ] && [ ! -s got.err ] && cmp -s want.txt got.txt && ok "$h $c: $c --help" ||
      fail "$h $c: exit $code, $(head -2 got.err), differs from $c --help"
  done
done
expect 66 'spinlab: irq-deadlok: no such file, and no bundled config or program of that name; did you mean `irq-deadlock`?' \
  -- run irq-deadlok
expect 66 'spinlab: pushof_order: no such file, and no bundled config or program of that name; did you mean `pushoff-order`?' \
  -- trace pushof_order
expect 66 'spinlab: nothing-like-this: no such file, and no bundled config or program of that name; spinlab list shows the scenarios' \
  -- run nothing-like-this
expect 66 'spinlab: irq-deadlok: no such file, and no bundled config or program of that name; did you mean `irq-deadlock`?' \
  -- disasm irq-deadlok
expect 66 'spinlab: hello.elf: no such file; did you mean `hello`?' -- run hello.elf
expect 66 'spinlab: pushoff_order.elf: no such file; did you mean `pushoff-order`?' -- disasm pushoff_order.elf
expect 65 'spinlab: --set firmware.params.timer_phas=3: firmware.params.timer_phas: the program pushoff_order.elf has no symbol `timer_phas` to set; did you mean `timer_phase`?' \
  -- run pushoff-order --set firmware.params.timer_phas=3
expect 65 'spinlab: --set firmware.params.use_irqsav=0: firmware.params.use_irqsav: the program other_cpu.elf has no symbol `use_irqsav` to set; did you mean `use_irqsave`?' \
  -- run other-cpu --set firmware.params.use_irqsav=0
expect 65 'spinlab: --set machine.hrats=2: unknown key `machine.hrats`; did you mean `machine.harts`?' \
  -- run pushoff-order --set machine.hrats=2

# --- out-of-range params (65), naming the --set -------------------------------
expect 65 'spinlab: --set firmware.params.timer_phase=-5: firmware.params.timer_phase: expected an integer from 0 to 4294967295 (a 32-bit word), got -5' \
  -- run pushoff-order --set firmware.params.timer_phase=-5
expect 65 'spinlab: --set firmware.params.timer_phase=4294967296: firmware.params.timer_phase: expected an integer from 0 to 4294967295 (a 32-bit word), got 4294967296' \
  -- run pushoff-order --set firmware.params.timer_phase=4294967296
# A switch's declared range ([[scenario.param]] max = 1).
expect 65 'spinlab: --set firmware.params.use_irqsave=2: firmware.params.use_irqsave: expected an integer from 0 to 1 (its [[scenario.param]] range), got 2' \
  -- run other-cpu --set firmware.params.use_irqsave=2
# ... and in a file, its line and column.
printf '[firmware]\nprogram = "pushoff_order"\n[firmware.params]\ntimer_phase = -5\n' >neg.toml
expect 65 'spinlab: neg.toml:4:15: firmware.params.timer_phase: expected an integer from 0 to 4294967295 (a 32-bit word), got -5' \
  -- run neg.toml
printf '[firmware]\nprogram = "pushoff_order"\n[firmware.params]\ntimer_phas = 5\n' >typo.toml
expect 65 'spinlab: typo.toml:4:1: firmware.params.timer_phas: the program pushoff_order.elf has no symbol `timer_phas` to set; did you mean `timer_phase`?' \
  -- run typo.toml

# --- a scenario's program runs the scenario ----------------------------------
"$spinlab" run pushoff-order >scenario.out 2>scenario.err
want=$?
"$spinlab" run pushoff_order >program.out 2>program.err
got=$?
note='spinlab: pushoff_order: the program of scenario pushoff-order: running the scenario (its machine and params); give the program'"'"'s path to run it on the default machine'
[ "$got" -eq "$want" ] && cmp -s scenario.out program.out && [ -s program.out ] &&
  ok "run pushoff_order: the scenario's run (exit $got, the same output)" ||
  fail "run pushoff_order: exit $got, scenario's $want; output differs: $(diff scenario.out program.out | head -5)"
[ "$(cat program.err)" = "$note" ] && [ ! -s scenario.err ] && ok "run pushoff_order: one note on stderr" ||
  fail "run pushoff_order: stderr $(cat program.err)"
grep -q '^pushoff-order: timer_phase 100: ' program.out && ok "run pushoff_order: the scenario's params" ||
  fail "run pushoff_order: not the scenario's timer_phase: $(head -3 program.out)"
# Its --set applies to the scenario's config: at phase 153 the tick lands in
# the window and deadlocks, on the scenario's machine only.
"$spinlab" run pushoff-order --set firmware.params.timer_phase=153 >set_scenario.out 2>/dev/null
want=$?
"$spinlab" run pushoff_order --set firmware.params.timer_phase=153 >set_program.out 2>/dev/null
got=$?
[ "$want" -eq 126 ] && [ "$got" -eq 126 ] && cmp -s set_scenario.out set_program.out &&
  ok "run pushoff_order --set: the scenario's config, set: deadlock (126)" ||
  fail "run pushoff_order --set: exit $got, scenario's $want: $(diff set_scenario.out set_program.out | head -5)"
"$spinlab" run "$fw/pushoff_order.elf" --set firmware.params.timer_phase=153 >/dev/null 2>&1
got=$?
[ "$got" -eq 0 ] && ok "run PATH/pushoff_order.elf --set: the default machine, no deadlock" ||
  fail "run PATH/pushoff_order.elf --set: exit $got"
# Its path runs it on the default machine, silently.
"$spinlab" run "$fw/pushoff_order.elf" -q >path.out 2>path.err
[ ! -s path.err ] && ! cmp -s path.out program.out && ok "run PATH/pushoff_order.elf: the default machine, no note" ||
  fail "run PATH/pushoff_order.elf: stderr $(cat path.err)"

# --- disasm takes the names run takes ----------------------------------------
"$spinlab" disasm "$fw/pushoff_order.elf" >by_path.txt 2>&1 || fail "disasm PATH failed: $(head -3 by_path.txt)"
for target in pushoff-order pushoff_order; do
  "$spinlab" disasm "$target" >by_name.txt 2>by_name.err
  code=$?
  [ "$code" -eq 0 ] && [ ! -s by_name.err ] && [ -s by_name.txt ] && cmp -s by_path.txt by_name.txt &&
    ok "disasm $target: the program's listing" ||
    fail "disasm $target: exit $code, $(head -2 by_name.err), differs from disasm PATH"
done
grep -q '<acquire_late_pushoff>:' by_path.txt && ok "disasm: pushoff_order's code" || fail "disasm: no acquire_late_pushoff"

echo "$failures failed"
[ "$failures" -eq 0 ]
