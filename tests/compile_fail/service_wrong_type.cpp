// The service encoders take what the service sends, never a request.
// expect: the iotjobs::service encoders take
#include <iotjobs/service.hpp>

int main() {
  char buf[256];
  [[maybe_unused]] iotjobs::update_job_execution_request req;
  [[maybe_unused]] iotjobs::notify_view event;
#ifdef IOTJOBS_MISUSE
  return iotjobs::service::encode_to_n(buf, req) ? 0 : 1;
#else
  return iotjobs::service::encode_to_n(buf, event) ? 0 : 1;
#endif
}
