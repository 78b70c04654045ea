#!/usr/bin/env bash
# The spinlab program marks its heap for transparent huge pages before any
# shared library's initialiser runs (sim/cli/start_up.cpp), so that
# libsystemc's 3 MiB scratch heap costs a few page faults instead of 768.
# Checked on a running spinlab: a [heap] mapping carries the kernel's "hg"
# flag (MADV_HUGEPAGE), whether or not the kernel found huge pages for it.
# Skipped (77) where there is nothing to see: a kernel without THP, or a
# sanitizer build (its allocator is not glibc's, and the step is left out).
#   start_up.sh SPINLAB
set -u
spinlab=$1
[ -e /sys/kernel/mm/transparent_hugepage/enabled ] || { echo "skipped: this kernel has no transparent huge pages"; exit 77; }
if ldd "$spinlab" 2>/dev/null | grep -q 'libasan\|libtsan' || nm "$spinlab" 2>/dev/null | grep -q '__asan_init\|__tsan_init'; then
  echo "skipped: a sanitizer build"
  exit 77
fi
"$spinlab" run irq-deadlock --set run.on_deadlock=continue --max-cycles 100000000000000 -q >/dev/null 2>&1 &
pid=$!
flags=""
for _ in $(seq 100); do
  # Each mapping's lines, the [heap] ones' VmFlags.
  flags=$(awk '/^[0-9a-f]+-[0-9a-f]+ / { heap = ($NF == "[heap]") } heap && /^VmFlags:/ { print }' \
    "/proc/$pid/smaps" 2>/dev/null)
  [ -n "$flags" ] && break
  sleep 0.05
done
huge=$(awk '/^[0-9a-f]+-[0-9a-f]+ / { heap = ($NF == "[heap]") } heap && /^AnonHugePages:/ { kb += $2 } END { print kb + 0 }' \
  "/proc/$pid/smaps" 2>/dev/null)
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
if [ -z "$flags" ]; then
  echo "FAIL: no [heap] mapping seen in /proc/$pid/smaps"
  exit 1
fi
if ! grep -qw hg <<<"$flags"; then
  echo "FAIL: no [heap] mapping is marked for huge pages:"
  echo "$flags"
  exit 1
fi
echo "ok: the heap is marked for huge pages (hg); $huge kB of it on huge pages now"
