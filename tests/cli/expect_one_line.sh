# Sourced by the bad-input scripts (tests/cli/bad_input.sh,
# tests/gdb/command_line.sh): the one check they make of every bad input.
# Needs $spinlab and $failures set by the script that sources it.

# expect CODE PATTERN -- ARGS...: exit code CODE, exactly one stderr line
# matching the extended regex PATTERN, and nothing on stdout.
expect() {
  local code=$1 pattern=$2
  shift 3
  "$spinlab" "$@" >out.txt 2>err.txt
  local got=$?
  local lines
  lines=$(wc -l <err.txt)
  if [ "$got" -ne "$code" ] || [ "$lines" -ne 1 ] || ! grep -Eq -- "$pattern" err.txt || [ -s out.txt ]; then
    echo "FAIL: spinlab $* -> exit $got (want $code), $lines stderr line(s), stdout $(wc -c <out.txt) bytes:"
    sed 's/^/    /' err.txt out.txt | head -20
    failures=$((failures + 1))
  else
    echo "ok: spinlab $* -> $got: $(cat err.txt)"
  fi
}

