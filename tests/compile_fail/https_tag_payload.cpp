// An HTTPS response needs its status and error header: a bare payload does not decode as one.
// expect: decodes from an https::raw_response
#include <iotjobs/messages.hpp>

int main() {
  iotjobs::decoder dec;
#ifdef IOTJOBS_MISUSE
  return dec.decode(iotjobs::https::describe_response, "{}") ? 0 : 1;
#else
  return dec.decode(iotjobs::https::describe_response, {200, {}, "{}"}) ? 0 : 1;
#endif
}
