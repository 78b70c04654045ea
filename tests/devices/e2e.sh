#!/usr/bin/env bash
# The example timer (examples/tlm-device) mapped into the machine both ways,
# running the example's firmware (firmware/tlm_timer.c), which programs the
# timer for 5 periodic expiries 2000 cycles apart and takes each interrupt:
#   1. as a plugin: `spinlab run tlm_timer.toml`, the config as checked in;
#   2. with its own sc_main linking libspinlab: `tlm_device tlm_timer.toml`.
# Both must exit 0 with the interrupts exactly one period apart, at the same
# cycles, stopping at the same cycle; and a device the machine cannot map is
# one line naming it (exit 65).
#   e2e.sh SPINLAB TLM_DEVICE PLUGIN_SO FIRMWARE_ELF CONFIG WORKDIR
set -u
spinlab=$1 tlm_device=$2 plugin=$3 elf=$4 config=$5 work=$6
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

# The cycle of each of the five interrupts, as the firmware reads mcycle in
# its handler. Pinned once the platform (Machine::attach) is merged: empty,
# the two ways must agree with each other and the cycles are printed.
pinned_cycles="2361 4361 6361 8361 10361"

rm -rf "$work" && mkdir -p "$work/build" "$work/firmware" || exit 1
cp "$config" "$work/tlm_timer.toml"
ln -s "$plugin" "$work/build/libtimer_plugin.so"
ln -s "$elf" "$work/firmware/tlm_timer.elf"
cd "$work" || exit 1

# The interrupt cycles a run printed, and its stop line.
cycles_of() { sed -n 's/^tlm_timer: interrupt [0-9] at cycle \([0-9]*\) .*/\1/p' "$1" | tr '\n' ' ' | sed 's/ $//'; }
check_run() {  # NAME OUT ERR CODE
  local name=$1 out=$2 err=$3 code=$4
  [ "$code" -eq 0 ] && ok "$name: exit 0" || fail "$name exited $code: $(tail -3 "$err") $(tail -3 "$out")"
  grep -q '^tlm_timer: 5 interrupts, 5 expiries, one period apart$' "$out" \
    && ok "$name: 5 interrupts, one period apart" || fail "$name printed: $(grep '^tlm_timer' "$out")"
  for k in 2 3 4 5; do
    grep -q "^tlm_timer: interrupt $k at cycle [0-9]* (+2000)$" "$out" || fail "$name: interrupt $k not 2000 cycles after the one before"
  done
}

"$spinlab" run tlm_timer.toml >plugin.out 2>plugin.err
check_run "spinlab run (plugin)" plugin.out plugin.err $?
"$tlm_device" tlm_timer.toml >main.out 2>main.err
check_run "tlm_device (own sc_main)" main.out main.err $?
grep -q '^tlm_device: the firmware wrote the test finisher at cycle [0-9]*; the timer expired 5 times$' main.out \
  && ok "tlm_device: its own timer expired 5 times" || fail "tlm_device said: $(grep '^tlm_device' main.out)"

a=$(cycles_of plugin.out) b=$(cycles_of main.out)
[ -n "$a" ] && [ "$a" = "$b" ] && ok "both ways: interrupts at the same cycles ($a)" || fail "interrupt cycles: plugin '$a', own sc_main '$b'"
stop_a=$(grep '^spinlab: stopped at cycle' plugin.out) stop_b=$(grep '^spinlab: stopped at cycle' main.out)
[ -n "$stop_a" ] && [ "$stop_a" = "$stop_b" ] && ok "both ways: $stop_a" || fail "stops: '$stop_a' vs '$stop_b'"
if [ -n "$pinned_cycles" ]; then
  [ "$a" = "$pinned_cycles" ] && ok "the pinned cycles" || fail "interrupts at $a, pinned $pinned_cycles"
else
  echo "note: interrupt cycles $a (not pinned yet: set pinned_cycles in e2e.sh)"
fi

# A device the machine cannot map: over the UART (0x10000000). One line,
# naming the --set and the device.
"$spinlab" run tlm_timer.toml --set 'device=[{ name = "t", plugin = "build/libtimer_plugin.so", base = 0x10000000, size = 0x1000 }]' \
  >overlap.out 2>overlap.err
code=$?
[ "$code" -eq 65 ] && [ "$(wc -l <overlap.err)" -eq 1 ] \
  && grep -q "^spinlab: --set device=.*: device\[0\] (t): " overlap.err && ! grep -q "not built yet" overlap.err \
  && ok "an overlap with the UART: one line naming the device, exit 65" || fail "overlap: exit $code: $(cat overlap.err)"
# The plugin's own refusal, at the table's line in the config.
sed 's/^tick_ns = 10/tick_ns = 0/' tlm_timer.toml >bad.toml
"$spinlab" run bad.toml >bad.out 2>bad.err
code=$?
line=$(grep -n '^\[\[device\]\]' bad.toml | cut -d: -f1)
[ "$code" -eq 65 ] && [ "$(cat bad.err)" = "spinlab: bad.toml:$line:1: device[0] (timer0): the plugin libtimer_plugin.so refused it: tick_ns: expected a positive whole number of nanoseconds, got \"0\"" ] \
  && ok "a bad param: the plugin's words at the table" || fail "bad param: exit $code: $(cat bad.err)"

# A device whose interrupt output is wired to no PLIC source (irq left out,
# "not wired" in docs/devices.md): it is mapped and runs, and the firmware,
# which waits in wfi for its interrupts, waits for nothing that can come.
grep -v '^irq *=' tlm_timer.toml >noirq.toml
"$spinlab" run noirq.toml --max-cycles 20000 >noirq.out 2>noirq.err
code=$?
[ "$code" -eq 125 ] && [ ! -s noirq.err ] && ! grep -q '^tlm_timer: interrupt' noirq.out \
  && grep -q 'every hart sleeps in wfi and nothing can wake one' noirq.out \
  && ok "a device without irq: mapped, and nothing can wake the hart that waits for it (125)" \
  || fail "no irq: exit $code: $(cat noirq.err) $(tail -3 noirq.out)"

# The device's keys from the command line: a param reaches the plugin (a
# tick of 20 ns makes the period 4000 cycles), the report lists the device
# and the --set; an unknown key is one line with a guess; --help lists them.
"$spinlab" run tlm_timer.toml --set device.timer0.tick_ns=20 --report report.json >slow.out 2>slow.err
grep -q '^tlm_timer: interrupt 2 at cycle [0-9]* (+4000)$' slow.out \
  && ok "--set device.timer0.tick_ns=20: the period doubled" || fail "tick_ns=20: $(grep '^tlm_timer' slow.out | head -3) $(cat slow.err)"
grep -q '"tick_ns": "20"' report.json && grep -q '"device.timer0.tick_ns": 20' report.json \
  && grep -q '"name": "timer0"' report.json \
  && ok "the report lists the device, its params and the --set" || fail "report: $(grep -A12 '"devices"' report.json)"
"$spinlab" run tlm_timer.toml --set device.timer0.tick=20 >typo.out 2>typo.err
code=$?
[ "$code" -eq 65 ] && [ "$(cat typo.err)" = "spinlab: --set device.timer0.tick=20: unknown key \`device.timer0.tick\`: the [[device]] timer0 has no key \`tick\`; did you mean \`device.timer0.tick_ns\`?" ] \
  && ok "a mistyped device key: one line with a guess" || fail "typo: exit $code: $(cat typo.err)"
"$spinlab" run tlm_timer.toml --help >help.out 2>&1
grep -q '^  device.timer0.tick_ns  *10  (the plugin.s param)$' help.out && grep -q '^  device.timer0.base  *0x10030000$' help.out \
  && ok "run CONFIG --help lists the device keys" || fail "--help: $(grep device help.out)"

[ "$failures" -eq 0 ] && echo "devices e2e: all passed" || echo "devices e2e: $failures failed"
[ "$failures" -eq 0 ]
