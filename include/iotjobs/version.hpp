// iotjobs — the library's version, as macros. The version itself is written once, in the file
// VERSION at the top of the repository, which Meson (and so pkg-config) and CMake read; the test
// `version_matches` fails when these macros say otherwise.
#ifndef IOTJOBS_VERSION_HPP
#define IOTJOBS_VERSION_HPP

#define IOTJOBS_VERSION_MAJOR 0
#define IOTJOBS_VERSION_MINOR 1
#define IOTJOBS_VERSION_PATCH 0

/// MAJOR * 10000 + MINOR * 100 + PATCH, for `#if IOTJOBS_VERSION >= 200` (0.2.0).
#define IOTJOBS_VERSION \
  (IOTJOBS_VERSION_MAJOR * 10000 + IOTJOBS_VERSION_MINOR * 100 + IOTJOBS_VERSION_PATCH)

#endif  // IOTJOBS_VERSION_HPP
