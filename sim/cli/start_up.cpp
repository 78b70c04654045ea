// Before anything else runs: SystemC's 3 MiB scratch heap on huge pages.
//
// libsystemc's static initialisers allocate sc_core::sc_temp_heap, a 3 MiB
// block, and zero it at once. malloc gives a block that large its own fresh
// mapping, so zeroing it takes a page fault per 4 KiB page: 768 of them,
// about 8 ms of every run's ~20 ms start-up on a virtual machine, where a
// fault is dear (docs/performance.md, "Start-up"). Here, before any shared
// library's initialiser (an executable's DT_PREINIT_ARRAY runs first), the
// heap is grown once and marked for transparent huge pages, and blocks of
// that size are served from it: the same 3 MiB then takes a few faults.
// Only the spinlab program does this; a program embedding libspinlab keeps
// its own allocator settings. Every step may fail (no THP, a sanitizer's
// allocator): then start-up is as before, and nothing else changes.
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define SPINLAB_OWN_ALLOCATOR 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SPINLAB_OWN_ALLOCATOR 1
#endif

#ifndef SPINLAB_OWN_ALLOCATOR
namespace {

constexpr uintptr_t kHuge = uintptr_t{2} << 20;  // a transparent huge page (x86-64, arm64)

void huge_pages_for_start_up() {
  // Blocks up to 4 MiB come from the heap (not a mapping each), and the
  // heap grows by 8 MiB at its first growth: room for the 3 MiB block to
  // lie mostly in whole, aligned 2 MiB pages (the heap's start is not
  // aligned, so its first stretch stays on small pages).
  if (mallopt(M_MMAP_THRESHOLD, 4 << 20) != 1 || mallopt(M_TOP_PAD, 8 << 20) != 1) return;
  void* probe = malloc(1);
  if (!probe) return;
  char* const heap = static_cast<char*>(probe);
  char* const end = static_cast<char*>(sbrk(0));
  // Only a heap just grown by the pad (not another allocator's block).
  if (end <= heap || end - heap > (ptrdiff_t{16} << 20)) {
    free(probe);
    return;
  }
  const auto at = reinterpret_cast<uintptr_t>(heap);
  char* const first = heap + (((at + kHuge - 1) & ~(kHuge - 1)) - at);
  char* const last = heap + (((at + static_cast<uintptr_t>(end - heap)) & ~(kHuge - 1)) - at);
  if (last > first) madvise(first, static_cast<size_t>(last - first), MADV_HUGEPAGE);
  free(probe);
}

}  // namespace

// The loader calls it: an executable's DT_PREINIT_ARRAY.
[[gnu::used, gnu::section(".preinit_array")]] void (*const spinlab_preinit)() = huge_pages_for_start_up;
#endif
