#!/usr/bin/env bash
# Regenerates the output the lessons quote (their fenced blocks) from real
# runs, then checks them on the same runs. A line whose words changed is
# taken from the run and reported "reworded (read it)"; what the check still
# reports is for a person: prose (a cycle, a place, an exit code that moved)
# and block lines no run prints anything like. The tests lessons.* run the
# same check (docs/lessons/README.md).
#   scripts/update-lessons.sh [SPINLAB [LESSON.md...]]
#     (default: build/spinlab, every docs/lessons/NN-*.md)
set -eu
here=$(dirname "$0")
spinlab=${1:-build/spinlab}
[ $# -gt 0 ] && shift
if [ $# -eq 0 ]; then
  set -- "$here"/../docs/lessons/[0-9][0-9]-*.md
fi
exec python3 "$here/lessons.py" update "$spinlab" "$@"
