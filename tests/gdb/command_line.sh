#!/usr/bin/env bash
# --gdb and run.gdb, run.gdb_stop_on, run.gdb_checkpoint through the spinlab
# binary: each bad value is one line on stderr with the documented exit code
# (64 on the command line, 65 in a config or --set), and the good ones are
# stored as the report shows them.
#   command_line.sh SPINLAB JQ WORKDIR
set -u
spinlab=$1 jq=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
failures=0

# expect CODE PATTERN -- ARGS...: one stderr line, the exit code, no stdout.
. "$(dirname "$0")/../cli/expect_one_line.sh"

# --- the command line (64) ----------------------------------------------------
expect 64 '^spinlab: --gdb: expected \[HOST:\]PORT with PORT from 0 to 65535, got "99999" \(PORT is at most 65535\)$' -- run hello --gdb 99999
expect 64 '^spinlab: --gdb: expected \[HOST:\]PORT with PORT from 0 to 65535, got "host:" \(no PORT after the .:.\)$' -- run hello --gdb host:
expect 64 '^spinlab: --gdb: expected \[HOST:\]PORT with PORT from 0 to 65535, got "abc" \(not a port number\)$' -- run hello --gdb abc
expect 64 'got "::1:1234" \(an IPv6 host goes in brackets: \[::1\]:1234\)$' -- run hello --gdb ::1:1234
expect 64 'got an empty string$' -- run hello --gdb ''
expect 64 '^spinlab: the required argument for option .--gdb. is missing' -- run hello --gdb
expect 64 '^spinlab: --gdb: ' -- trace hello --gdb abc
# The command line is checked before the target is looked for.
expect 64 '^spinlab: --gdb: ' -- run nowhere.elf --gdb abc

# Many runs at once cannot each wait for the one GDB.
expect 64 '^spinlab: sweep: runs many machines at once, and run.gdb = "1234" would have each wait for GDB; debug one run with spinlab run --gdb$' -- sweep hello --param machine.harts=1..2 --set 'run.gdb="1234"'
expect 64 '^spinlab: protection-table: runs many machines at once, and run.gdb = "0" would have each' -- protection-table --set 'run.gdb="0"'

# --- a config file or --set (65) ----------------------------------------------
expect 65 '^spinlab: --set run.gdb=abc: run.gdb: expected "\[HOST:\]PORT" or PORT as an integer \(PORT from 0 to 65535, 0: any free one\), or "" for none, got "abc" \(not a port number\)$' -- run hello --set run.gdb=abc
expect 65 'run.gdb: expected .*, got a float' -- run hello --set run.gdb=12.5
# A TOML integer is the port; out of range, the usual place and exit 65.
printf '[firmware]\nprogram = "hello"\n[run]\ngdb = -1\n' >neg_gdb.toml
expect 65 '^spinlab: neg_gdb\.toml:4:7: run\.gdb: expected .* got "-1" \(not a port number\)$' -- run neg_gdb.toml
printf '[firmware]\nprogram = "hello"\n[run]\ngdb = 65536\n' >big_gdb.toml
expect 65 '^spinlab: big_gdb\.toml:4:7: run\.gdb: expected .* got "65536" \(PORT is at most 65535\)$' -- run big_gdb.toml
printf '[firmware]\nprogram = "hello"\n[run]\ngdb = 0\n' >int_gdb.toml
timeout -s KILL 3 "$spinlab" run int_gdb.toml --quiet >/dev/null 2>int_gdb.err
if grep -Eq '^spinlab: waiting for GDB on 127\.0\.0\.1:[0-9]+' int_gdb.err; then
  echo "ok: run.gdb = 0 (an integer) listens"
else
  echo "FAIL: run.gdb = 0 (an integer) did not listen:"
  cat int_gdb.err
  failures=$((failures + 1))
fi
cat >bad_gdb.toml <<'TOML'
[firmware]
program = "hello"
[run]
gdb = "localhost:"
TOML
expect 65 '^spinlab: bad_gdb\.toml:4:7: run\.gdb: expected .* got "localhost:" \(no PORT after the .:.\)$' -- run bad_gdb.toml
expect 65 '^spinlab: --set run.gdb_stop_on=\["deadlok"\]: run.gdb_stop_on\[0\]: expected "deadlock", "race" or a finding kind \("irq-unsafe-lock", \.\.\.\), got "deadlok"; did you mean `deadlock`\?$' -- run hello --set 'run.gdb_stop_on=["deadlok"]'
# "clean" is an outcome of --expect but no finding: it cannot stop a run.
expect 65 'run.gdb_stop_on\[1\]: expected .*, got "clean"$' -- run hello --set 'run.gdb_stop_on=["race", "clean"]'
expect 65 'run.gdb_stop_on: expected an array of strings, each .*, got a string' -- run hello --set 'run.gdb_stop_on="race"'
expect 65 'run.gdb_checkpoint: expected a non-negative integer, got -1$' -- run hello --set run.gdb_checkpoint=-1
expect 65 'run.gdb_checkpoint: expected a non-negative integer, got a string' -- run hello --set run.gdb_checkpoint=often

# --- good values, as the report's settings show them ----------------------------
# (run.gdb itself is left off: once the server is wired, it waits for GDB.)
"$spinlab" run hello --quiet --report r.json \
  --set 'run.gdb_stop_on=["race", "irq-unsafe-lock", "deadlock", "race"]' --set run.gdb_checkpoint=0 >/dev/null 2>err.txt
got=$("$jq" -cS '.settings | with_entries(select(.key | startswith("run.gdb")))' r.json 2>/dev/null)
want='{"run.gdb_checkpoint":0,"run.gdb_stop_on":["irq-deadlock","recursive-deadlock","cross-cpu-deadlock","irq-unsafe-lock","mutual-exclusion","thread-deadlock"]}'
if [ "$got" != "$want" ]; then
  echo "FAIL: report settings: $got"
  echo "  want: $want"
  cat err.txt
  failures=$((failures + 1))
else
  echo "ok: run.gdb_stop_on and run.gdb_checkpoint stored: $got"
fi
"$spinlab" run --help | grep -Eq -- '--gdb \[HOST:\]PORT' || { echo "FAIL: run --help lacks --gdb"; failures=$((failures + 1)); }

[ "$failures" -eq 0 ] && echo "all good" || echo "$failures failure(s)"
[ "$failures" -eq 0 ]
