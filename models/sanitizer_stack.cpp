#include "models/sanitizer_stack.h"

#if defined(__SANITIZE_ADDRESS__)
#define SPINLAB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SPINLAB_ASAN 1
#endif
#endif

#ifdef SPINLAB_ASAN
#include <pthread.h>
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>

#include <cstddef>
#include <cstdint>
#endif

namespace spinlab::models {

// Debian's SystemC 2.3.4 (QuickThreads) tells ASan of its stack switches, but
// the main coroutine has no known stack: a switch back to main gives ASan an
// empty stack, and a thread's end (QuickThreads' abort) is not told at all,
// so ASan still takes the dead thread's stack for the current one. A throw
// then finds its own stack pointer outside those bounds, so
// __asan_handle_no_return ("ignoring requested", once) leaves the frames it
// unwinds marked, and the next call into them reports an overflow. A switch
// from this stack to itself sets the bounds right; the fake stack (only with
// detect_stack_use_after_return, which SystemC's null save breaks anyway) is
// handed through unchanged.
#ifdef SPINLAB_ASAN
__attribute__((noinline)) void resync_sanitizer_stack() {
  // The thread's own stack, once per thread (for the main thread glibc reads
  // /proc/self/maps, and a GDB session comes here at every stop).
  thread_local void* low = nullptr;
  thread_local size_t size = 0;
  if (size == 0) {
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
    if (pthread_attr_getstack(&attr, &low, &size) != 0) size = 0;
    pthread_attr_destroy(&attr);
  }
  const auto base = reinterpret_cast<uintptr_t>(low);
  const auto here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  if (here < base || here >= base + size) return;  // on a coroutine: its bounds are right
  void* fake_stack = nullptr;
  __sanitizer_start_switch_fiber(&fake_stack, low, size);
  __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
  // Everything below this frame is dead: the frames a throw unwound before
  // the bounds were right are cleared as __asan_handle_no_return would have.
  __asan_unpoison_memory_region(low, here - base);
}
#else
void resync_sanitizer_stack() {}
#endif

}  // namespace spinlab::models
