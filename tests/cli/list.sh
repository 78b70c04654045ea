#!/usr/bin/env bash
# `spinlab list`: every bundled scenario, one a line with its summary, and
# the JSON with lessons and params whose defaults are what a run uses; a
# scenario with a bad [scenario] table is one error line with its place.
#   list.sh SPINLAB JQ CONFIG_DIR DOCS_DIR
set -u
spinlab=$1 jq=$2 configs=$3 docs=$4
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

cd / || exit 1  # spinlab finds its scenarios from any directory

# --- the bundled scenarios: all of them, each with a summary ---------------
# A scenario added without a summary (or with a param the program lacks)
# makes `spinlab list` fail, and this test with it.
if ! "$spinlab" list >"$tmp/list.txt" 2>"$tmp/list.err"; then
  fail "spinlab list failed: $(cat "$tmp/list.err")"
fi
files=$(cd "$configs/scenarios" && ls ./*.toml | sed 's|^\./||' | sort)
n=$(echo "$files" | wc -l)
[ "$(wc -l <"$tmp/list.txt")" -eq "$n" ] && ok "$n scenarios, $n lines" ||
  fail "$(wc -l <"$tmp/list.txt") lines for $n scenario files"
i=0
for f in $files; do
  i=$((i + 1))
  name=$(echo "$f" | sed -E 's/^[0-9]+-//; s/\.toml$//')
  line=$(sed -n "${i}p" "$tmp/list.txt")
  # The name, spaces to one column, then a summary of words.
  echo "$line" | grep -qE "^$name +[^ ]" || fail "line $i is not \"$name  <summary>\": $line"
done
grep -qxE '^race +four harts add to one counter under a lock whose test and set are two steps: updates are lost$' \
  "$tmp/list.txt" && ok "race's line" || fail "race's line: $(grep '^race ' "$tmp/list.txt")"
# The column is as wide as the longest name.
width=$(sed -E 's/^([^ ]+ +).*/\1/' "$tmp/list.txt" | awk '{ print length }' | sort -u)
[ "$(echo "$width" | wc -l)" -eq 1 ] && ok "one column" || fail "summaries start at columns $width"
# Every name is one `spinlab run NAME` finds.
first=$(head -1 "$tmp/list.txt" | cut -d' ' -f1)
"$spinlab" run "$first" --max-cycles 10 -q >/dev/null 2>"$tmp/run.err"
[ $? -ne 66 ] && ok "spinlab run $first finds it" || fail "spinlab run $first: $(cat "$tmp/run.err")"

# --- the JSON ---------------------------------------------------------------
"$spinlab" list --json >"$tmp/list.json" || fail "spinlab list --json failed"
[ "$("$jq" length "$tmp/list.json")" -eq "$n" ] && ok "JSON: $n objects" || fail "JSON: not $n objects"
[ "$("$jq" -r '.[].name' "$tmp/list.json")" = "$(cut -d' ' -f1 "$tmp/list.txt")" ] &&
  ok "JSON names in the list's order" || fail "JSON names differ from the list's"
# Each object: exactly these fields, a summary, a lesson that exists, params
# with an integer default within its min and max, and a help.
bad=$("$jq" -r '.[] | select((keys != ["lesson", "name", "params", "summary"])
    or (.summary | length) == 0 or (.lesson | endswith(".md") | not)
    or any(.params[]; (keys != ["default", "help", "max", "min", "name"]) or (.default | type) != "number"
                      or .default < .min or .default > .max or (.help | length) == 0)) | .name' "$tmp/list.json")
[ -z "$bad" ] && ok "JSON: every object complete" || fail "JSON: incomplete objects: $bad"
for lesson in $("$jq" -r '.[].lesson' "$tmp/list.json"); do
  [ -f "$docs/$lesson" ] || fail "lesson $lesson is not in docs/"
done
# The defaults: from [firmware.params] (timer_phase), else the ELF's word.
defaults=$("$jq" -c '[.[] | select(.params != []) | {(.name): [.params[] | [.name, .default]]}] | add' "$tmp/list.json")
for want in '"pushoff-order":[["timer_phase",100]]' '"other-cpu":[["use_irqsave",1]]' \
            '"xv6":[["reacquire",0]]' '"irq-wrong":[["fixed",0]]'; do
  case $defaults in *"$want"*) ok "default $want" ;; *) fail "no $want in $defaults" ;; esac
done
# A switch declares its range; a count keeps the whole word.
ranges=$("$jq" -c '[.[] | select(.name == "other-cpu" or .name == "pushoff-order") | .params[0] | [.name, .min, .max]]'          "$tmp/list.json")
[ "$ranges" = '[["use_irqsave",0,1],["timer_phase",0,4294967295]]' ] && ok "ranges $ranges" || fail "ranges $ranges"
"$jq" -e '.[] | select(.name == "race") | .params == []' "$tmp/list.json" >/dev/null &&
  ok "race has no params" || fail "race has params"

# --- a scenario directory of our own ----------------------------------------
# A default comes from the config when it sets the param, else from the ELF.
mkdir -p "$tmp/c1/scenarios"
cat >"$tmp/c1/scenarios/01-mine.toml" <<'TOML'
[scenario]
lesson = "lessons/05-other-cpu.md"
summary = "mine"
[[scenario.param]]
name = "use_irqsave"
help = "set by the config"
[firmware]
program = "other_cpu"
[firmware.params]
use_irqsave = 7
TOML
cat >"$tmp/c1/scenarios/2-elf.toml" <<'TOML'
[scenario]
lesson = "lessons/06-pushoff-order.md"
summary = "from the ELF"
[[scenario.param]]
name = "timer_phase"
help = "the ELF's initial word"
[firmware]
program = "pushoff_order"
TOML
SPINLAB_CONFIG_DIR=$tmp/c1 "$spinlab" list --json >"$tmp/c1.json" 2>"$tmp/c1.err" || fail "c1: $(cat "$tmp/c1.err")"
[ "$("$jq" -c '[.[] | [.name, .params[0].default]]' "$tmp/c1.json")" = '[["mine",7],["elf",100]]' ] &&
  ok "defaults from the config and from the ELF" || fail "c1 defaults: $(cat "$tmp/c1.json")"

# expect_error NAME CODE TEXT: a scenario file NAME (its text on stdin) makes
# `spinlab list` fail with CODE and one line holding TEXT.
expect_error() {
  local name=$1 code=$2 text=$3
  rm -rf "$tmp/bad" && mkdir -p "$tmp/bad/scenarios"
  cat >"$tmp/bad/scenarios/$name"
  SPINLAB_CONFIG_DIR=$tmp/bad "$spinlab" list >"$tmp/bad.out" 2>"$tmp/bad.err"
  local got=$?
  if [ "$got" -ne "$code" ] || [ "$(wc -l <"$tmp/bad.err")" -ne 1 ] || ! grep -qF -- "$text" "$tmp/bad.err" ||
     [ -s "$tmp/bad.out" ]; then
    fail "$name: exit $got, stdout $(wc -c <"$tmp/bad.out") bytes, stderr: $(cat "$tmp/bad.err") (want $code, \"$text\")"
  else
    ok "$name: $(cat "$tmp/bad.err")"
  fi
}
expect_error 09-nosummary.toml 65 "spinlab: $tmp/bad/scenarios/09-nosummary.toml:2:1: missing key \`scenario.summary\`" <<'TOML'
# no summary
[scenario]
lesson = "lessons/01-race.md"
[firmware]
program = "race"
TOML
expect_error 09-nolesson.toml 65 "09-nolesson.toml:1:1: missing key \`scenario.lesson\`" <<'TOML'
[scenario]
summary = "no lesson"
[firmware]
program = "race"
TOML
expect_error 09-noscenario.toml 65 "09-noscenario.toml: missing key \`scenario.summary\`" <<'TOML'
[firmware]
program = "race"
TOML
expect_error 09-typo.toml 65 "09-typo.toml:3:1: unknown key \`scenario.sumary\`; did you mean \`scenario.summary\`?" <<'TOML'
[scenario]
lesson = "lessons/01-race.md"
sumary = "x"
[firmware]
program = "race"
TOML
expect_error 09-twolines.toml 65 "09-twolines.toml:3:11: scenario.summary: expected one line of text, got \"a\\nb\" (more than one line)" <<'TOML'
[scenario]
lesson = "lessons/01-race.md"
summary = "a\nb"
[firmware]
program = "race"
TOML
expect_error 09-nohelp.toml 65 "09-nohelp.toml:4:1: missing key \`scenario.param[0].help\`" <<'TOML'
[scenario]
lesson = "lessons/01-race.md"
summary = "x"
[[scenario.param]]
name = "counter"
[firmware]
program = "race"
TOML
expect_error 09-nosymbol.toml 65 "09-nosymbol.toml:5:8: scenario.param[0].name: the program" <<'TOML'
[scenario]
lesson = "lessons/01-race.md"
summary = "x"
[[scenario.param]]
name = "no_such_word"
help = "x"
[firmware]
program = "race"
TOML
grep -qF "has no symbol \`no_such_word\` to set" "$tmp/bad.err" || fail "nosymbol: $(cat "$tmp/bad.err")"
expect_error 09-twice.toml 65 "09-twice.toml:8:8: scenario.param[1].name: \"timer_phase\" is already the name of scenario.param[0] (line 5)" <<'TOML'
[scenario]
lesson = "lessons/06-pushoff-order.md"
summary = "x"
[[scenario.param]]
name = "timer_phase"
help = "x"
[[scenario.param]]
name = "timer_phase"
help = "y"
[firmware]
program = "pushoff_order"
TOML
expect_error 09-noelf.toml 66 "09-noelf.toml:5:11: firmware.program: no bundled program \"nosuch\"" <<'TOML'
[scenario]
lesson = "lessons/01-race.md"
summary = "x"
[firmware]
program = "nosuch"
TOML
# No scenario directory: one line, exit 66 (an empty list would hide it).
SPINLAB_CONFIG_DIR=$tmp/none "$spinlab" list >"$tmp/none.out" 2>"$tmp/none.err"
code=$?
[ "$code" -eq 66 ] && [ "$(wc -l <"$tmp/none.err")" -eq 1 ] && grep -qF "$tmp/none/scenarios: no such directory" "$tmp/none.err" &&
  ok "no directory: $(cat "$tmp/none.err")" || fail "no directory: exit $code, $(cat "$tmp/none.err")"
# list takes no argument.
"$spinlab" list extra >/dev/null 2>"$tmp/extra.err"
code=$?
[ "$code" -eq 64 ] && [ "$(cat "$tmp/extra.err")" = 'spinlab: list: takes no argument, got `extra`' ] &&
  ok "list extra: exit 64, $(cat "$tmp/extra.err")" || fail "list extra: exit $code, $(cat "$tmp/extra.err")"

[ "$failures" -eq 0 ] && echo "list ok" || { echo "$failures failures"; exit 1; }
