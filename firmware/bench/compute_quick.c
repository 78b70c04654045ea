// bench_compute_quick: bench_compute with a tiny amount of work, for the
// smoke test of bench/run.sh (--quick).
#define BENCH_WORK 2
#include "compute.c"
