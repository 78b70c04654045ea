#!/usr/bin/env bash
# run_fuzzer.sh FUZZER CORPUS SECONDS ARTIFACTS [LIBFUZZER_OPTION...]
# Fuzzes for SECONDS from a copy of CORPUS (the committed seeds stay as they
# are) and fails on any crash, sanitizer report, timeout or out-of-memory;
# the input that caused it is kept in ARTIFACTS, and how to make it a
# regression test is in the README's "Fuzzing" section.
set -euo pipefail
fuzzer=$1 corpus=$2 seconds=$3 artifacts=$4
shift 4

work=$(mktemp -d "${TMPDIR:-/tmp}/spinlab-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$artifacts"
cp "$corpus"/* "$work/corpus/"

# -timeout: one input running longer is a hang. -rss_limit_mb: libFuzzer's
# default, said so. -use_value_profile helps through the comparisons of
# magic numbers (ELF headers, packet checksums).
status=0
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -use_value_profile=1 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" "$@" "$work/corpus" 2>"$work/log" || status=$?
tail -n 40 "$work/log"
if [ "$status" -ne 0 ]; then
  echo "run_fuzzer: $(basename "$fuzzer") found a problem (exit $status); the input is in $artifacts:" >&2
  ls -l "$artifacts" >&2
  exit 1
fi
echo "run_fuzzer: $(basename "$fuzzer"): no crash in ${seconds} s"
