#!/usr/bin/env bash
# Lints the C++ that changed since BASE (a commit): clang-format on the lines
# changed (.clang-format), clang-tidy on the .cpp files changed (.clang-tidy),
# with the build's compile_commands.json. Exits 1 when either complains.
#
#   scripts/lint-changed.sh BASE [BUILD_DIR]     (BUILD_DIR: build)
#
# Lines, not whole files, for clang-format: most files predate .clang-format,
# and a change should not have to reformat what it did not touch. firmware/ is
# C in xv6's style and is not linted here. Time is bounded: clang-tidy runs two
# files at a time, each at most LINT_TIDY_SECONDS (300), and on the first
# LINT_TIDY_FILES (40) files only; the rest are named as skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

base=${1:?usage: scripts/lint-changed.sh BASE [BUILD_DIR]}
build=${2:-build}
max_files=${LINT_TIDY_FILES:-40}
seconds=${LINT_TIDY_SECONDS:-300}

mapfile -t files < <(git diff --name-only --diff-filter=ACMR "$base" -- '*.cpp' '*.h' | grep -v '^firmware/' || true)
if [ ${#files[@]} -eq 0 ]; then
  echo "lint: no C++ file changed since $base"
  exit 0
fi
echo "lint: ${#files[@]} C++ files changed since $base"
status=0

# clang-format: each file's changed lines, as git's hunks give them.
for f in "${files[@]}"; do
  ranges=()
  while read -r start count; do
    [ "${count:-1}" -eq 0 ] && continue
    ranges+=("--lines=$start:$((start + ${count:-1} - 1))")
  done < <(git diff -U0 "$base" -- "$f" | sed -n 's/^@@ [^+]*+\([0-9]*\)\(,\([0-9]*\)\)\{0,1\} @@.*/\1 \3/p')
  [ ${#ranges[@]} -eq 0 ] && continue
  if ! clang-format --dry-run -Werror "${ranges[@]}" "$f"; then status=1; fi
done

# clang-tidy: the changed .cpp files the build compiles (a header is checked
# through the files that include it: HeaderFilterRegex).
db="$build/compile_commands.json"
if [ ! -f "$db" ]; then
  echo "lint: no $db; configure the build first (cmake -S . -B $build)" >&2
  exit 1
fi
tidy=()
for f in "${files[@]}"; do
  case "$f" in *.cpp) grep -q "\"file\": \"$PWD/$f\"" "$db" && tidy+=("$f") ;; esac
done
if [ ${#tidy[@]} -gt "$max_files" ]; then
  echo "lint: clang-tidy on the first $max_files of ${#tidy[@]} files; skipped: ${tidy[*]:$max_files}"
  tidy=("${tidy[@]:0:$max_files}")
fi
if [ ${#tidy[@]} -gt 0 ]; then
  if ! printf '%s\n' "${tidy[@]}" |
      xargs -P2 -I{} timeout "$seconds" clang-tidy -p "$build" --quiet {}; then
    status=1
  fi
fi
[ "$status" -eq 0 ] && echo "lint: clean"
exit "$status"
