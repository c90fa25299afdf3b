// Views from a temporary decoder would dangle at once, so decoding on one does not compile.
// expect: deleted
#include <iotjobs/messages.hpp>

int main() {
  iotjobs::decoder dec;
#ifdef IOTJOBS_MISUSE
  return iotjobs::decoder().decode(iotjobs::mqtt::notify, "{}") ? 0 : 1;
#else
  return dec.decode(iotjobs::mqtt::notify, "{}") ? 0 : 1;
#endif
}
