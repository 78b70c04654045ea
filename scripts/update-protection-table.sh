#!/usr/bin/env bash
# Regenerates the table between the markers of docs/lessons/protection-table.md
# from `spinlab protection-table` (the test cli.protection_table compares the
# two: any change to the kernel's or the machine's timing moves the numbers).
#   scripts/update-protection-table.sh [SPINLAB]     (default: build/spinlab)
set -eu
spinlab=${1:-build/spinlab}
doc=$(dirname "$0")/../docs/lessons/protection-table.md
table=$(mktemp)
trap 'rm -f "$table" "$doc.new"' EXIT
"$spinlab" protection-table >"$table"
awk -v table="$table" '
  /^<!-- begin: spinlab protection-table -->$/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
  /^<!-- end: spinlab protection-table -->$/ { skip = 0 }
  !skip' "$doc" >"$doc.new"
mv "$doc.new" "$doc"
