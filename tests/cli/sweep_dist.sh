#!/usr/bin/env bash
# A sweep past one machine: --emit-commands run by GNU parallel, --shard,
# and --merge of the reports, which must print the direct sweep's table byte
# for byte. Also --report, --expect, --narrate on a sweep and its exit codes.
#   sweep_dist.sh SPINLAB PARALLEL JQ
set -u
spinlab=$1
parallel=$2
jq=$3
fail() { echo "FAIL: $*"; exit 1; }
rm -rf dist && mkdir dist && cd dist || exit 1

# lesson 06's window: 153 deadlocks, its neighbours end (with a warning).
sweep=(pushoff-order --param firmware.params.timer_phase=150..156 --param machine.harts=2..2)
"$spinlab" sweep "${sweep[@]}" >direct.txt
[ $? -eq 1 ] || fail "a sweep with a deadlocked run exited $? (want 1)"
"$spinlab" sweep "${sweep[@]}" --csv >direct.csv
grep -Eq ' 153 +2 +[0-9]+  deadlock ' direct.txt || { cat direct.txt; fail "no deadlock row at 153"; }

# The commands: one per run, each with its own report, spinlab by its path
# (it is not on PATH here).
"$spinlab" sweep "${sweep[@]}" --report runs/p.json --emit-commands >commands.txt || fail "--emit-commands"
cat commands.txt
[ "$(wc -l <commands.txt)" -eq 7 ] || fail "7 values, $(wc -l <commands.txt) commands"
for v in 150 153 156; do
  grep -qxF "$spinlab run pushoff-order --set firmware.params.timer_phase=$v --set machine.harts=2 --quiet --report runs/p.timer_phase-$v.harts-2.json" commands.txt ||
    fail "no command for $v"
done
[ -s runs/p.json ] || fail "no sweep file runs/p.json"
# With spinlab on PATH the lines name it so: the same on every machine.
PATH="$(dirname "$spinlab"):$PATH" "$spinlab" sweep "${sweep[@]}" --report runs/p.json --emit-commands | head -1 |
  grep -q '^spinlab run pushoff-order ' || fail "spinlab on PATH not named spinlab"
# The SPINLAB_* directories travel with the line, quoted for sh.
SPINLAB_DOCS_DIR="/no where" "$spinlab" sweep "${sweep[@]}" --report runs/p.json --emit-commands | head -1 |
  grep -q "^SPINLAB_DOCS_DIR='/no where' " || fail "SPINLAB_DOCS_DIR not carried"

# GNU parallel runs them; --merge reads the reports: the same table and CSV.
"$parallel" -j2 <commands.txt >/dev/null
[ "$(ls runs/p.timer_phase-*.json | wc -l)" -eq 7 ] || { ls runs; fail "parallel wrote no 7 reports"; }
"$spinlab" sweep --merge runs >merged.txt
[ $? -eq 1 ] || fail "--merge of a deadlocked run exited $? (want 1)"
cmp direct.txt merged.txt || { diff direct.txt merged.txt; fail "merged table differs from the sweep's"; }
"$spinlab" sweep --merge runs/p.json --csv >merged.csv
cmp direct.csv merged.csv || { diff direct.csv merged.csv; fail "merged CSV differs from the sweep's"; }
# The plot from the merge is the sweep's too.
"$spinlab" sweep "${sweep[@]}" --plot direct.svg >/dev/null
"$spinlab" sweep --merge runs --plot merged.svg >/dev/null
cmp direct.svg merged.svg || fail "merged plot differs from the sweep's"
# docs/sweep.md's --sshlogin form, with this machine (:) as the only login.
"$spinlab" sweep "${sweep[@]}" --report ssh/p.json --emit-commands | "$parallel" --sshlogin 2/: --workdir . >/dev/null
"$spinlab" sweep --merge ssh | cmp - direct.txt || fail "the --sshlogin runs' merge differs from the sweep"

# --shard I/N: every Nth run from the Ith; the shares make the whole, once each.
for i in 1 2 3; do "$spinlab" sweep "${sweep[@]}" --report runs/p.json --emit-commands --shard $i/3; done >shards.txt
[ "$(sort shards.txt)" = "$(sort commands.txt)" ] || fail "the shards are not the commands, once each"
"$spinlab" sweep "${sweep[@]}" --report runs/p.json --emit-commands --shard 2/3 | grep -o 'timer_phase=[0-9]*' |
  tr '\n' ' ' | grep -qx 'timer_phase=151 timer_phase=154 ' || fail "shard 2/3 is not runs 2 and 5"
"$spinlab" sweep "${sweep[@]}" --emit-commands --report r.json --shard 4/3 2>err.txt
[ $? -eq 64 ] && grep -q -- '--shard 4/3: expected I/N' err.txt || fail "shard 4/3 accepted"
# A Slurm array task runs its share itself; then the merge is whole again.
rm -rf runs2
for i in 1 2; do "$spinlab" sweep "${sweep[@]}" --report runs2/p.json --shard $i/2 --jobs 1 >/dev/null; done
"$spinlab" sweep --merge runs2 >merged2.txt
cmp direct.txt merged2.txt || fail "the shards' merge differs from the sweep"
# A run not done yet is an error row, and the merge fails.
rm runs2/p.timer_phase-155.harts-2.json
"$spinlab" sweep --merge runs2 >partial.txt
[ $? -eq 1 ] && grep -q 'error: no report runs2/p.timer_phase-155.harts-2.json' partial.txt || fail "a missing report"

# --expect: the table judges each run, the exit code says whether all did.
"$spinlab" sweep pushoff-order --param firmware.params.timer_phase=154..155 --expect deadlock >expect.txt
[ $? -eq 1 ] || fail "--expect deadlock with one ok run exited 0"
grep -q '^--expect deadlock: 1 met, 1 not met$' expect.txt || { cat expect.txt; fail "expect summary"; }
"$spinlab" sweep pushoff-order --param firmware.params.timer_phase=153..153 --expect irq-deadlock >/dev/null ||
  fail "--expect irq-deadlock at 153 not met"
"$spinlab" sweep pushoff-order --param firmware.params.timer_phase=100..100 --expect irq-unsafe-lock >/dev/null ||
  fail "--expect irq-unsafe-lock at 100 not met"
"$spinlab" sweep pushoff-order --param firmware.params.timer_phase=100..100 --expect clean >/dev/null &&
  fail "--expect clean met by a run with a warning"
"$spinlab" sweep pushoff-order --param firmware.params.timer_phase=100..100 --expect deadlok 2>err.txt
[ $? -eq 64 ] && grep -q 'did you mean `deadlock`' err.txt || fail "--expect deadlok"
"$spinlab" sweep pushoff-order --param firmware.params.timer_phase=153..154 --report e/p.json --expect deadlock \
  --emit-commands | grep -c -- ' --expect deadlock$' | grep -qx 2 || fail "emitted lines lack --expect"
[ "$("$jq" -r .expect e/p.json)" = deadlock ] || fail "the sweep file in a new directory e/ lacks expect"

# --narrate and --explain: one run's story, then the table.
"$spinlab" sweep pushoff-order --param firmware.params.timer_phase=150..153 --narrate 2>err.txt
[ $? -eq 64 ] && grep -q 'this sweep has 4 runs' err.txt || fail "--narrate on 4 runs"
"$spinlab" sweep pushoff-order --param firmware.params.timer_phase=153..153 --narrate --explain >story.txt
[ $? -eq 1 ] || fail "the deadlocked story run exited $?"
grep -q 'acquire' story.txt && grep -q '^1 runs: 1 deadlock$' story.txt || { cat story.txt; fail "no story"; }
# --report on a sweep keeps the runs' reports.
"$spinlab" sweep hello --param machine.harts=1..2 --report hr.json >/dev/null || fail "hello sweep --report"
[ "$("$jq" -r .stop.reason hr.harts-2.json)" = finisher ] || fail "no report hr.harts-2.json"
echo "sweep_dist ok"
