// The HTTPS encoders take the five HTTPS requests, and say so.
// expect: the iotjobs::https encoders take
#include <iotjobs/https.hpp>

int main() {
  char buf[256];
  [[maybe_unused]] iotjobs::get_pending_job_executions_request req;
  req.thing_name = "t";
  [[maybe_unused]] iotjobs::notify_view event;
#ifdef IOTJOBS_MISUSE
  return iotjobs::https::encode_to_n(buf, event) ? 0 : 1;
#else
  return iotjobs::https::encode_to_n(buf, req) ? 0 : 1;
#endif
}
