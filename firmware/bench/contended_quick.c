// bench_contended_quick: bench_contended with a tiny amount of work, for the
// smoke test of bench/run.sh (--quick).
#define BENCH_WORK 200
#include "contended.c"
