// The allocation counter of counting_allocator.cpp (link that file to use it).
#ifndef IOTJOBS_TESTS_COUNTING_ALLOCATOR_HPP
#define IOTJOBS_TESTS_COUNTING_ALLOCATOR_HPP

/// How many allocations (malloc, calloc, realloc, operator new) this thread has made so far.
long iotjobs_allocation_count() noexcept;

#endif  // IOTJOBS_TESTS_COUNTING_ALLOCATOR_HPP
