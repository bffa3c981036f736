// SPDX-License-Identifier: MIT
// Whether this is a ThreadSanitizer build, and TSan's annotations for synchronisation it
// cannot see because it happens inside an uninstrumented library (gRPC). No-ops otherwise.
#pragma once

#if defined(__SANITIZE_THREAD__)
#define CGYM_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CGYM_TSAN 1
#endif
#endif

#ifdef CGYM_TSAN
extern "C" {
void __tsan_acquire(void* addr);
void __tsan_release(void* addr);
void __tsan_ignore_thread_begin(void);
void __tsan_ignore_thread_end(void);
}
#endif

namespace cgym::tsan {

// What this thread did before release(key) happens before what a thread does after a later
// acquire(key), for TSan.
inline void release(void* key) {
#ifdef CGYM_TSAN
  __tsan_release(key);
#else
  (void)key;
#endif
}

inline void acquire(void* key) {
#ifdef CGYM_TSAN
  __tsan_acquire(key);
#else
  (void)key;
#endif
}

// TSan does not record this thread's memory accesses while one is alive (synchronisation is
// still tracked).
class IgnoreAccesses {
 public:
  IgnoreAccesses() {
#ifdef CGYM_TSAN
    __tsan_ignore_thread_begin();
#endif
  }
  ~IgnoreAccesses() {
#ifdef CGYM_TSAN
    __tsan_ignore_thread_end();
#endif
  }
  IgnoreAccesses(const IgnoreAccesses&) = delete;
  IgnoreAccesses& operator=(const IgnoreAccesses&) = delete;
};

}  // namespace cgym::tsan
