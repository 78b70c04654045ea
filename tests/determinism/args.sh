# What determinism.sh and plain_path.sh take, sourced by both:
#   SPINLAB CONFIG OUT_DIR MAX_CYCLES HARTS...
# Sets spinlab, config, out, cycles, name (the config's) and fail=0, leaves
# the hart counts in "$@" and makes OUT_DIR afresh.
set -u
spinlab=$1 config=$2 out=$3 cycles=$4
shift 4
name=$(basename "$config" .toml)
fail=0

rm -rf "$out"
mkdir -p "$out"
