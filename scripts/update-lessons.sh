#!/usr/bin/env bash
# Regenerates the output the lessons quote (their fenced blocks) from real
# runs, then checks them: what the check still reports is prose for a person
# to fix (a cycle or a place that moved), or a block whose words changed (no
# run prints a line like it). The tests lessons.* run the same check.
#   scripts/update-lessons.sh [SPINLAB [LESSON.md...]]
#     (default: build/spinlab, every docs/lessons/NN-*.md)
set -eu
here=$(dirname "$0")
spinlab=${1:-build/spinlab}
[ $# -gt 0 ] && shift
if [ $# -eq 0 ]; then
  set -- "$here"/../docs/lessons/[0-9][0-9]-*.md
fi
python3 "$here/lessons.py" update "$spinlab" "$@" || true
python3 "$here/lessons.py" check "$spinlab" "$@"
