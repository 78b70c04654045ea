#!/bin/bash
# Traced words (trace.words): counter.S has HARTS harts add 1 to `counter`
# ITERATIONS times each with amoadd.w and store their id + 1 to `last`. The
# VCD must show every one of those writes, in order; an unknown symbol is a
# one-line error that suggests the nearest one.
#
#   trace_words.sh SPINLAB VCD2FST FST2VCD WORKDIR COUNTER_ELF HARTS ITERATIONS
set -u
here=$(dirname "$0")
. "$here/vcd_lib.sh"

(( $# == 7 )) || { echo "usage: trace_words.sh SPINLAB VCD2FST FST2VCD WORKDIR COUNTER_ELF HARTS ITERATIONS" >&2; exit 2; }
spinlab=$1 vcd2fst=$2 fst2vcd=$3 dir=$4 elf=$5 harts=$6 iterations=$7
rm -rf "$dir" && mkdir -p "$dir" || exit 2
vcd=$dir/words.vcd

"$spinlab" run "$elf" --set machine.harts="$harts" --set 'trace.words=["counter", "last", "0x80000000"]' \
  --vcd "$vcd" > "$dir/run.out" 2> "$dir/run.err" || fail "spinlab exited $?: $(cat "$dir/run.err")"
[ ! -s "$dir/run.err" ] || fail "spinlab wrote to stderr: $(cat "$dir/run.err")"
check_with_gtkwave "$vcd" "$vcd2fst" "$fst2vcd" "$dir"

signals=$(vcd_signals "$vcd" | grep '^words\.')
[ "$signals" = $'words.counter 32\nwords.last 32\nwords.w_80000000 32' ] || fail "word signals: $signals"

# counter: 0 at time 0, then one more per AMO, each at a later time.
total=$((harts * iterations))
vcd_changes "$vcd" words.counter > "$dir/counter"
[ "$(wc -l < "$dir/counter")" = $((total + 1)) ] ||
  fail "words.counter changes $(($(wc -l < "$dir/counter") - 1)) times, expected $total"
awk 'function dec(b,  v, i) { v = 0; for (i = 1; i <= length(b); i++) v = v * 2 + substr(b, i, 1); return v }
     { v = dec($2) }
     NR == 1 && ($1 != 0 || v != 0) { print "starts at " $0; bad = 1; exit }
     NR > 1 && (v != prev + 1 || $1 <= time) { print "after " time " " prev ": " $1 " " v; bad = 1; exit }
     { prev = v; time = $1 }
     END { exit bad }' "$dir/counter" > "$dir/counter.bad" ||
  fail "words.counter does not count up by one per write: $(cat "$dir/counter.bad")"

# last: each hart's store, so HARTS changes after the initial 0, of values 1..HARTS.
vcd_changes "$vcd" words.last | tail -n +2 | while read -r time value; do bin2dec "$value"; done | sort -n > "$dir/last"
[ "$(cat "$dir/last")" = "$(seq 1 "$harts")" ] || fail "words.last took the values $(tr '\n' ' ' < "$dir/last")"

# The word at 0x80000000 is code: written never, so only its value at time 0.
[ "$(vcd_changes "$vcd" words.w_80000000 | wc -l)" = 1 ] || fail "words.w_80000000 changed"

# A misspelt symbol: exit 65, one line naming the word and the nearest symbol.
"$spinlab" run "$elf" --set 'trace.words=["countr"]' --vcd "$dir/bad.vcd" > "$dir/bad.out" 2> "$dir/bad.err"
code=$?
[ $code = 65 ] || fail "an unknown symbol in trace.words: exit $code, expected 65"
[ "$(wc -l < "$dir/bad.err")" = 1 ] || fail "the error is not one line: $(cat "$dir/bad.err")"
grep -q 'trace.words: no symbol `countr`; did you mean `counter`?' "$dir/bad.err" ||
  fail "the error does not name the word and suggest counter: $(cat "$dir/bad.err")"
[ ! -e "$dir/bad.vcd" ] || fail "a run that failed its config left a VCD file"
exit 0
