# Helpers for the trace tests (sourced): reading a VCD with awk, and having
# GTKWave's own tools read it back.

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# The declared signals, one "scope.name width" per line ("hart0.pc 32").
vcd_signals() {
  awk '/^\$scope/ { scope[++depth] = $3 }
       /^\$upscope/ { depth-- }
       /^\$var/ { name = ""; for (i = 1; i <= depth; i++) name = name scope[i] "."; print name $5, $3 }
       /^\$enddefinitions/ { exit }' "$1"
}

# Every value of signal NAME ("words.counter"), one "time value" per line,
# the value in binary without leading zeros ("0" for zero).
vcd_changes() {
  awk -v want="$2" '
    /^\$scope/ { scope[++depth] = $3 }
    /^\$upscope/ { depth-- }
    /^\$var/ { name = ""; for (i = 1; i <= depth; i++) name = name scope[i] "."; if (name $5 == want) id = $4 }
    /^\$enddefinitions/ { body = 1; next }
    !body || /^\$/ { next }
    /^#/ { time = substr($1, 2); next }
    /^b/ { if ($2 == id) { v = substr($1, 2); sub(/^0+/, "", v); print time, (v == "" ? "0" : v) } next }
    { if (substr($0, 2) == id) print time, substr($0, 1, 1) }' "$1"
}

# Every value change as "time signal value", sorted: two files with the
# same changes give the same lines, whatever the order within a time, the
# width the values are written with or the identifiers the signals have
# (fst2vcd numbers them in declaration order; spinlab does not, hartN.priv).
vcd_normalized() {
  awk '/^\$scope/ { scope[++depth] = $3 }
       /^\$upscope/ { depth-- }
       /^\$var/ { name = ""; for (i = 1; i <= depth; i++) name = name scope[i] "."; sig[$4] = name $5 }
       /^\$enddefinitions/ { body = 1; next }
       !body || /^\$/ { next }
       /^#/ { time = substr($1, 2); next }
       /^b/ { v = substr($1, 2); sub(/^0+/, "", v); print time, sig[$2], (v == "" ? "0" : v); next }
       { print time, sig[substr($0, 2)], substr($0, 1, 1) }' "$1" | LC_ALL=C sort
}

# Binary to decimal (values up to 2^53).
bin2dec() {
  awk -v b="$1" 'BEGIN { v = 0; for (i = 1; i <= length(b); i++) v = v * 2 + substr(b, i, 1); printf "%d\n", v }'
}

# GTKWave reads FILE: vcd2fst converts it without complaint, fst2vcd converts
# that back, and the round trip holds the same value changes. (vcd2fst alone
# accepts nearly anything, garbage included, and exits 0.)
check_with_gtkwave() {
  local vcd=$1 vcd2fst=$2 fst2vcd=$3 dir=$4
  "$vcd2fst" "$vcd" "$dir/rt.fst" > "$dir/vcd2fst.out" 2>&1 || fail "vcd2fst exited $? on $vcd: $(cat "$dir/vcd2fst.out")"
  [ ! -s "$dir/vcd2fst.out" ] || fail "vcd2fst complained about $vcd: $(head -5 "$dir/vcd2fst.out")"
  "$fst2vcd" "$dir/rt.fst" > "$dir/rt.vcd" 2> "$dir/fst2vcd.err" || fail "fst2vcd exited $?: $(cat "$dir/fst2vcd.err")"
  vcd_normalized "$vcd" > "$dir/original.changes"
  vcd_normalized "$dir/rt.vcd" > "$dir/roundtrip.changes"
  [ -s "$dir/original.changes" ] || fail "$vcd holds no value changes"
  cmp -s "$dir/original.changes" "$dir/roundtrip.changes" ||
    fail "GTKWave read $vcd differently: $(diff "$dir/original.changes" "$dir/roundtrip.changes" | head -5)"
}
