// The allocation counter of counting_allocator.cpp (link that file to use it).
#ifndef IOTJOBS_TESTS_COUNTING_ALLOCATOR_HPP
#define IOTJOBS_TESTS_COUNTING_ALLOCATOR_HPP

/// How many allocations (malloc, calloc, realloc, operator new) this thread has made so far.
long iotjobs_allocation_count() noexcept;

/// Makes this thread's nothrow operator new (the one the library uses) return nullptr once `n`
/// more have succeeded, and every time after; a negative `n` makes them succeed again.
void iotjobs_fail_nothrow_allocations_after(long n) noexcept;

#endif  // IOTJOBS_TESTS_COUNTING_ALLOCATOR_HPP
