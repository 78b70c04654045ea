#!/usr/bin/env bash
# docs/errors.md kept true: every table row whose example is code is run,
# and its exit code and its one line checked.
#   errors_doc.sh SPINLAB ERRORS_MD HELLO_ELF LAYOUT_DIR WORKDIR
#
# A row is `| EXIT | `COMMAND` | `LINE` |` (LINE may be `` LINE `` when it
# holds a backtick). COMMAND is shell, run in a fresh directory holding hello.elf
# and the layout ELFs, with `spinlab` the binary under test; `\|` in it is a
# pipe. In LINE, `…` is any text. Under a header whose last column is
# "stderr", stderr must be exactly LINE; under "stdout line", some stdout
# line must be LINE and stderr empty. Rows "checked in SCRIPT" name the
# script that checks them, which must exist.
set -u
bin=$1 doc=$2 hello=$3 layouts=$4 work=$5
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work" || exit 1
spinlab() { "$bin" "$@"; }
failures=0 rows=0

# The extended regex matching LINE as a whole line.
line_regex() {
  local escaped
  escaped=$(printf '%s' "$1" | sed -e 's/[][\.*^$(){}+?|\\/]/\\&/g' -e 's/…/.*/g')
  printf '^%s$' "$escaped"
}

# The text of a code cell: `x` or `` x ``.
code_of() {
  local cell=$1
  if [[ $cell == '`` '*' ``' ]]; then cell=${cell#'`` '}; cell=${cell%' ``'}
  elif [[ $cell == '`'*'`' ]]; then cell=${cell#'`'}; cell=${cell%'`'}
  else return 1
  fi
  printf '%s' "$cell"
}

check_row() {
  local code=$1 command=$2 line=$3 stream=$4 n=$5
  local dir="$work/$n"
  mkdir -p "$dir" && cp "$hello" "$dir/hello.elf" && cp "$layouts"/*.elf "$dir/"
  (cd "$dir" && eval "$command") >"$dir/stdout" 2>"$dir/stderr"
  local got=$? re
  re=$(line_regex "$line")
  local ok=1
  [ "$got" -eq "$code" ] || ok=0
  if [ "$stream" = stderr ]; then
    [ "$(wc -l <"$dir/stderr")" -eq 1 ] && grep -Eq -- "$re" "$dir/stderr" || ok=0
  else
    [ ! -s "$dir/stderr" ] && grep -Eq -- "$re" "$dir/stdout" || ok=0
  fi
  if [ "$ok" -eq 1 ]; then
    echo "ok: $command -> $got"
  else
    echo "FAIL: $command -> exit $got (want $code); want the $stream line: $line"
    sed 's/^/    stderr: /' "$dir/stderr" | head -5
    [ "$stream" = stdout ] && grep '^spinlab:' "$dir/stdout" | sed 's/^/    stdout: /' | head -3
    failures=$((failures + 1))
  fi
}

stream=""
n=0
while IFS= read -r row; do
  case $row in
    '| exit |'*'| stderr |') stream=stderr; continue ;;
    '| exit |'*'| stdout line |') stream=stdout; continue ;;
    '|'*) ;;
    *) stream=""; continue ;;
  esac
  [ -n "$stream" ] || continue
  # Cells split at " | " (a pipe in a command is written \|).
  rest=${row#'| '}; rest=${rest%' |'}
  code=${rest%%' | '*}; rest=${rest#*' | '}
  example=${rest%%' | '*}; line=${rest#*' | '}
  [[ $code =~ ^[0-9]+$ ]] || continue
  n=$((n + 1))
  if [[ $example == 'checked in '* ]]; then
    script=${example#'checked in '}
    [ -f "$here/../../$script" ] || { echo "FAIL: row $n names $script, which does not exist"; failures=$((failures + 1)); }
    continue
  fi
  command=$(code_of "$example") || { echo "FAIL: row $n: the example is not code: $example"; failures=$((failures + 1)); continue; }
  line=$(code_of "$line") || { echo "FAIL: row $n: the line is not code: $line"; failures=$((failures + 1)); continue; }
  command=${command//'\|'/|}
  rows=$((rows + 1))
  check_row "$code" "$command" "$line" "$stream" "$n"
done <"$doc"

# A table the parser no longer reads would pass with nothing checked.
[ "$rows" -ge 60 ] || { echo "FAIL: only $rows examples found in $doc"; failures=$((failures + 1)); }
echo "$rows examples run, $failures failed"
[ "$failures" -eq 0 ]
