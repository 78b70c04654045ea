#!/usr/bin/env bash
# `spinlab new DIR`: the starter exercise builds with make against the
# firmware kit and runs, from another directory; as handed out its lock loses
# updates (exit 1), and with TODO 1 and 2 done it loses none (exit 0).
# Refuses a non-empty DIR and a name that cannot name the ELF.
# With FIRMWARE_SRC (the source tree's firmware/), a bundled scenario's own
# source built against the kit with spinlab.mk runs exactly as the bundled
# ELF: the kit holds what the scenarios are built from, with their flags.
#   starter.sh SPINLAB [KIT [FIRMWARE_SRC]]   (KIT: the kit SPINLAB finds)
set -u
spinlab=$1 kit=${2:-} src=${3:-}
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

mkdir "$tmp/class" "$tmp/elsewhere"
cd "$tmp/class" || exit 1
"$spinlab" new lab1 >new.out 2>new.err
code=$?
[ "$code" -eq 0 ] && ok "new lab1" || fail "new lab1 exited $code: $(cat new.err)"
for f in lab1/spinlock.c lab1/Makefile lab1/lab1.toml; do
  [ -f "$f" ] || fail "no $f"
done
grep -q "^next: make -C lab1 && spinlab run lab1/lab1.toml" new.out && ok "new says what to do next" \
  || fail "new printed: $(cat new.out)"
if [ -n "$kit" ]; then
  grep -qxF "KIT ?= $kit" lab1/Makefile && ok "the Makefile names the kit" \
    || fail "the Makefile's kit: $(grep '^KIT' lab1/Makefile), not $kit"
fi
grep -q "@NAME@\|@KIT@\|@SPINLAB@" lab1/* && fail "a placeholder left in: $(grep -l "@[A-Z]*@" lab1/*)"

# Built and run from elsewhere: the toml's program is relative to the toml.
cd "$tmp/elsewhere" || exit 1
make -s -C ../class/lab1 >make.out 2>&1 || fail "make: $(cat make.out)"
[ -f ../class/lab1/lab1.elf ] && ok "make builds lab1.elf" || fail "no lab1.elf"
"$spinlab" run ../class/lab1/lab1.toml >run.out 2>run.err
code=$?
[ "$code" -eq 1 ] && ok "the broken lock: exit 1" || fail "the broken lock exited $code: $(cat run.err)"
grep -Eq "^lab1: 2 harts x 1000 increments: expected 2000, got [0-9]+: [1-9][0-9]* updates lost" run.out \
  && ok "the broken lock loses updates" || fail "run printed: $(head -5 run.out)"

# The student's fix (TODO 1 and 2): amoswap to take the lock, a release store.
sed -i -e 's/while (\*l != 0)   \/\/ test\.\.\./while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE) != 0)/' \
       -e '/^  \*l = 1; /d' -e 's/^  \*l = 0;$/  __atomic_store_n(l, 0, __ATOMIC_RELEASE);/' ../class/lab1/spinlock.c
grep -q "__atomic_exchange_n(l, 1" ../class/lab1/spinlock.c || fail "the test's fix did not apply"
make -s -C ../class/lab1 >make2.out 2>&1 || fail "make after the fix: $(cat make2.out)"
"$spinlab" run ../class/lab1/lab1.toml >fixed.out 2>fixed.err
code=$?
[ "$code" -eq 0 ] && ok "the fixed lock: exit 0" || fail "the fixed lock exited $code: $(cat fixed.err)"
grep -q "^lab1: 2 harts x 1000 increments: expected 2000, got 2000: no update lost" fixed.out \
  && ok "the fixed lock loses none" || fail "fixed run printed: $(head -5 fixed.out)"
# The monitor names the student's lock by its symbol.
grep -Eq "^lock +2000 " fixed.out && ok "the monitor's table: \`lock\`, acquired 2000 times" \
  || fail "no row for lock in: $(cat fixed.out)"
# make run uses the spinlab that wrote the Makefile.
make -s -C ../class/lab1 run >makerun.out 2>&1
code=$?
[ "$code" -eq 0 ] && grep -q "no update lost" makerun.out && ok "make run" || fail "make run exited $code: $(head -3 makerun.out)"

# Refusals: one line, and nothing written.
"$spinlab" new ../class/lab1 >again.out 2>again.err
code=$?
[ "$code" -eq 65 ] && [ "$(wc -l <again.err)" -eq 1 ] && grep -q "lab1: new: directory not empty" again.err \
  && ok "refuses a non-empty directory" || fail "non-empty: exit $code: $(cat again.err)"
"$spinlab" new 'bad name' >bad.out 2>bad.err
code=$?
[ "$code" -eq 64 ] && [ ! -e 'bad name' ] && [ "$(wc -l <bad.err)" -eq 1 ] && ok "refuses a name with a space" \
  || fail "bad name: exit $code: $(cat bad.err)"
mkdir empty && "$spinlab" new empty/ >/dev/null 2>empty.err && [ -f empty/empty.toml ] \
  && ok "writes into an empty directory" || fail "empty dir: $(cat empty.err)"
mkdir here && (cd here && "$spinlab" new . >/dev/null 2>../here.err) && [ -f here/here.toml ] \
  && ok "new . names the exercise after the directory" || fail "new .: $(cat here.err)"

if [ -n "$src" ]; then
  mkdir "$tmp/scenario" && cd "$tmp/scenario" || exit 1
  cp "$src/scenarios/irq_deadlock.c" .
  printf '%s\n' 'include $(KIT)/spinlab.mk' 'irq_deadlock.elf: irq_deadlock.o $(SPINLAB_LIBS)' \
    '	$(CC) $(LDFLAGS) -o $@ irq_deadlock.o $(LDLIBS)' >Makefile
  make -s KIT="$kit" >make.out 2>&1 || fail "irq_deadlock.c on the kit: $(cat make.out)"
  "$spinlab" run irq-deadlock >bundled.out 2>&1
  "$spinlab" run irq_deadlock.elf >kit.out 2>&1
  code=$?
  stop=$(grep "^spinlab: stopped at" bundled.out)
  [ "$code" -eq 126 ] && [ -n "$stop" ] && grep -qxF "$stop" kit.out \
    && ok "irq_deadlock.c built on the kit: $stop" || fail "on the kit: exit $code, $(grep stopped kit.out), bundled: $stop"
fi

[ "$failures" -eq 0 ] && echo "starter: all passed" || echo "starter: $failures failed"
[ "$failures" -eq 0 ]
