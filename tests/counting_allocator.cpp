// Replaces malloc, calloc, realloc and every global operator new of the program with versions that
// count calls (per thread), so that tests and benchmarks can prove what allocates, and that make
// the nothrow operator new fail on request, so that tests can prove out_of_memory is reported. Link
// it into a program of its own: it replaces the allocator for everything in that program, shared
// libraries included. glibc only (it forwards to __libc_malloc and friends).
#include "counting_allocator.hpp"

#include <cstdlib>
#include <new>

extern "C" void* __libc_malloc(std::size_t);
extern "C" void* __libc_calloc(std::size_t, std::size_t);
extern "C" void* __libc_realloc(void*, std::size_t);
extern "C" void* __libc_memalign(std::size_t, std::size_t);
extern "C" void __libc_free(void*);

namespace {
thread_local long allocations = 0;
thread_local long nothrow_left = -1;  // negative: no failures
}  // namespace

long iotjobs_allocation_count() noexcept {
  return allocations;
}

void iotjobs_fail_nothrow_allocations_after(long n) noexcept {
  nothrow_left = n;
}

extern "C" void* malloc(std::size_t n) {
  ++allocations;
  return __libc_malloc(n);
}
extern "C" void* calloc(std::size_t n, std::size_t size) {
  ++allocations;
  return __libc_calloc(n, size);
}
extern "C" void* realloc(void* p, std::size_t n) {
  ++allocations;
  return __libc_realloc(p, n);
}
extern "C" void free(void* p) {
  __libc_free(p);
}

void* operator new(std::size_t n) {
  ++allocations;
  if (void* p = __libc_malloc(n ? n : 1)) return p;
  std::abort();
}
void* operator new[](std::size_t n) {
  return operator new(n);
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  ++allocations;
  if (nothrow_left == 0) return nullptr;
  if (nothrow_left > 0) --nothrow_left;
  return __libc_malloc(n ? n : 1);
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept {
  return operator new(n, t);
}
void* operator new(std::size_t n, std::align_val_t a) {
  ++allocations;
  if (void* p = __libc_memalign(static_cast<std::size_t>(a), n ? n : 1)) return p;
  std::abort();
}
void* operator new[](std::size_t n, std::align_val_t a) {
  return operator new(n, a);
}
void operator delete(void* p) noexcept {
  __libc_free(p);
}
void operator delete[](void* p) noexcept {
  __libc_free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  __libc_free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  __libc_free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  __libc_free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  __libc_free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  __libc_free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  __libc_free(p);
}
