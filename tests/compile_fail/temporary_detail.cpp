// A statusDetails entry borrows its text as a request does.
// expect: deleted
#include <iotjobs/mqtt.hpp>

#include <string>

int main() {
  const std::string value = std::to_string(42);
#ifdef IOTJOBS_MISUSE
  const iotjobs::status_detail d{"percent", std::to_string(42)};
  return d.value.empty() ? 1 : 0;
#else
  const iotjobs::status_detail d{"percent", value};
  return d.value.empty() ? 1 : 0;
#endif
}
