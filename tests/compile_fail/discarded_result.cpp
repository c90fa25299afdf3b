// A result thrown away is a check not made: result<T> is [[nodiscard]].
// expect: nodiscard|unused
#include <iotjobs/mqtt.hpp>

int main() {
  iotjobs::get_pending_job_executions_request req;
  req.thing_name = "t";
#ifdef IOTJOBS_MISUSE
  iotjobs::mqtt::encoded_size(req);
  return 0;
#else
  return iotjobs::mqtt::encoded_size(req) ? 0 : 1;
#endif
}
