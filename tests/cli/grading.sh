#!/usr/bin/env bash
# Grading (docs/grading.md): the page's worked example run exactly as written
# on a passing and a failing submission; --expect's exit codes and its one
# line; the report's uart, settings, version, outcomes and expect.
#   grading.sh SPINLAB JQ FIRMWARE_DIR DOCS_DIR
set -u
spinlab=$1 jq=$2 firmware=$3 docs=$4
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
# check NAME JQ_FILTER FILE: the filter holds on the report.
check() { "$jq" -e "$2" "$3" >/dev/null && ok "$1" || fail "$1: $2 on $(cat "$3" | head -c 2000)"; }

# The page's blocks, each after the comment that names it.
block() {
  awk -v name="$1" -v lang="$2" '
    index($0, "extracts this block as " name " ") { found = 1; next }
    found && $0 == "```" lang { inside = 1; next }
    inside && $0 == "```" { exit }
    inside { print }' "$docs/grading.md"
}
cd "$tmp" || exit 1
block assignment.toml toml >assignment.toml
block grade.sh sh >grade.sh
[ -s assignment.toml ] && [ -s grade.sh ] && ok "the page has both blocks" || fail "blocks missing in grading.md"
cp "$firmware/test_and_set.elf" "$firmware/race.elf" .
export PATH="$(dirname "$spinlab"):$(dirname "$jq"):$PATH"

sh grade.sh test_and_set.elf >pass.out 2>pass.err
code=$?
[ "$code" -eq 0 ] && grep -qE '^PASS: [0-9]+ cycles$' pass.out && [ ! -s pass.err ] &&
  ok "a correct submission passes: $(cat pass.out)" || fail "correct submission: grade $code: $(cat pass.out pass.err)"
# The page quotes the passing run's line: it must be this run's.
grep -qxF "$(cat pass.out)" "$docs/grading.md" && ok "the page quotes the PASS line" ||
  fail "grading.md does not quote \"$(cat pass.out)\""
sh grade.sh race.elf >race.out 2>race.err
code=$?
want='spinlab: --expect clean: expected clean, got race, mutual-exclusion (the firmware exited 1)'
[ "$code" -eq 1 ] && [ "$(cat race.err)" = "$want" ] && [ ! -s race.out ] &&
  ok "a racy submission fails, with one line of feedback" || fail "racy submission: grade $code: $(cat race.out race.err)"
grep -qxF "$want" "$docs/grading.md" && ok "the page quotes the feedback line" || fail "grading.md lacks: $want"

# --expect on the bundled scenarios: deadlock while the run exits 126.
"$spinlab" run irq-deadlock -q >/dev/null 2>&1
[ $? -eq 126 ] && ok "irq-deadlock exits 126 without --expect" || fail "irq-deadlock without --expect"
for e in deadlock irq-deadlock; do
  "$spinlab" run irq-deadlock -q --expect $e >/dev/null 2>err.txt
  code=$?
  [ "$code" -eq 0 ] && [ ! -s err.txt ] && ok "irq-deadlock --expect $e: 0" || fail "irq-deadlock --expect $e: $code $(cat err.txt)"
done
for e in clean race; do
  "$spinlab" run irq-deadlock -q --expect $e >/dev/null 2>err.txt
  code=$?
  [ "$code" -eq 1 ] && [ "$(wc -l <err.txt)" -eq 1 ] &&
    grep -qxF "spinlab: --expect $e: expected $e, got deadlock, irq-deadlock (the monitor stopped the run)" err.txt &&
    ok "irq-deadlock --expect $e: 1, one line" || fail "irq-deadlock --expect $e: $code $(cat err.txt)"
done
"$spinlab" run race -q --expect race >/dev/null 2>err.txt
[ $? -eq 0 ] && ok "race --expect race: 0" || fail "race --expect race: $(cat err.txt)"
"$spinlab" run race -q --expect mutual-exclusion >/dev/null 2>&1
[ $? -eq 0 ] && ok "race --expect mutual-exclusion: 0" || fail "race --expect mutual-exclusion"
"$spinlab" run test-and-set -q --expect clean >/dev/null 2>&1
[ $? -eq 0 ] && ok "test-and-set --expect clean: 0" || fail "test-and-set --expect clean"
# A cycle limit is not clean, and trace takes --expect too.
"$spinlab" trace test-and-set --max-cycles 2000 --expect clean >/dev/null 2>err.txt
code=$?
[ "$code" -eq 1 ] && grep -qF "got no finding (run.max_cycles was reached)" err.txt &&
  ok "trace --expect clean at the cycle limit: 1" || fail "trace at the cycle limit: $code $(cat err.txt)"
# A wrong outcome: one line, the valid ones, a suggestion; exit 64 before any run.
"$spinlab" run race --expect deadlok >out.txt 2>err.txt
code=$?
[ "$code" -eq 64 ] && [ "$(wc -l <err.txt)" -eq 1 ] && [ ! -s out.txt ] &&
  grep -qF -- "--expect deadlok: unknown outcome; expected one of deadlock, clean, race, irq-deadlock," err.txt &&
  grep -qF -- '; did you mean `deadlock`?' err.txt &&
  ok "unknown outcome: 64, one line" || fail "unknown outcome: $code $(cat out.txt err.txt)"

# The report: uart is all of stdout under -q, byte for byte.
"$spinlab" run race -q --report race.json >race.txt 2>/dev/null
"$jq" -j .uart race.json >uart.txt
cmp -s race.txt uart.txt && [ -s uart.txt ] && ok "uart is the firmware's output, exactly" || fail "uart differs from stdout"
check "race: outcomes" '.outcomes == ["race", "mutual-exclusion"] and (has("expect") | not)' race.json
check "version is spinlab --version's" ".version == \"$("$spinlab" --version | cut -d' ' -f2)\"" race.json
check "race: settings from its config" \
  '.settings | keys == ["firmware.program", "machine.harts", "run.max_cycles", "trace.words"] and
   .["machine.harts"] == 4 and .["trace.words"] == ["countlock", "counter"] and (.["firmware.program"] | endswith("/race.elf"))' race.json
# Every --set leaves a trace, one at its default value too; a param against the ELF's own value.
"$spinlab" run pushoff-order -q --set machine.misaligned=trap --set firmware.params.timer_phase=153 \
  --expect deadlock --report po.json >/dev/null 2>&1
code=$?
[ "$code" -eq 0 ] && ok "pushoff-order at phase 153 --expect deadlock: 0" || fail "pushoff-order --expect deadlock: $code"
check "--set at the default is in settings" '.settings["machine.misaligned"] == "trap"' po.json
check "a --set param is in settings" '.settings["firmware.params.timer_phase"] == 153' po.json
check "the scenario's table is not a setting" '[.settings | keys[] | select(startswith("scenario."))] == []' po.json
check "expect in the report" '.expect == {"outcome": "deadlock", "met": true} and .stop.exit_code == 126' po.json
"$spinlab" run hello -q --report hello.json >/dev/null 2>&1
check "hello: only its program differs" '(.settings | keys) == ["firmware.program"] and .outcomes == ["clean"]' hello.json

# The exit-code rule (docs/exit-codes.md): a run whose updates were lost never exits 0.
while read -r args; do
  "$spinlab" run $args -q --report lost.json >/dev/null 2>&1
  code=$?
  lost=$("$jq" -r '.uart | [scan("([0-9]+) updates lost")[0] | tonumber] | add // 0' lost.json)
  if [ "$lost" -gt 0 ]; then want=1; else want=0; fi
  [ "$code" -eq "$want" ] && ok "$args: $lost updates lost, exit $code" || fail "$args: $lost updates lost, exit $code"
done <<'RUNS'
race
test-and-set
up
up --set machine.harts=2
up --set machine.harts=2 --set firmware.params.CONFIG_SMP=1
tasklet-vs-softirq
tasklet-vs-softirq --set firmware.params.use_lock=1
tasklet-vs-softirq --set firmware.params.use_tasklet=1
RUNS

[ "$failures" -eq 0 ] || { echo "$failures failures"; exit 1; }
