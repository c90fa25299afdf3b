#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

// Linked into every test program beside a suite that includes iotjobs too: two translation
// units with the whole library, so a non-inline definition in a header fails to link.
#include <iotjobs/iotjobs.hpp>
