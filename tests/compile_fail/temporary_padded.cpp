// The views of a decode read in place point into its padded buffer: a temporary padded_string
// would be gone before them, so decoding one does not compile.
// expect: deleted
#include <iotjobs/messages.hpp>

int main() {
  iotjobs::decoder dec;
#ifdef IOTJOBS_MISUSE
  return dec.decode(iotjobs::mqtt::notify, simdjson::padded_string(std::string_view("{}"))) ? 0 : 1;
#else
  const simdjson::padded_string payload(std::string_view("{}"));
  return dec.decode(iotjobs::mqtt::notify, payload) ? 0 : 1;
#endif
}
