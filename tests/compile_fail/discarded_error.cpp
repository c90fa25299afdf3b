// An error thrown away is a failure unseen: the error enum is [[nodiscard]].
// expect: nodiscard|unused
#include <iotjobs/decoder.hpp>

int main() {
  iotjobs::decoder dec;
#ifdef IOTJOBS_MISUSE
  dec.reserve(1024);
  return 0;
#else
  return dec.reserve(1024) == iotjobs::error::ok ? 0 : 1;
#endif
}
