// A request borrows its text: a temporary std::string would be gone before the encode.
// expect: deleted
#include <iotjobs/mqtt.hpp>

#include <string>

int main() {
  iotjobs::describe_job_execution_request req;
  req.thing_name = "t";
  const std::string id = "job-" + std::to_string(7);
#ifdef IOTJOBS_MISUSE
  req.job_id = "job-" + std::to_string(7);
  return iotjobs::mqtt::encoded_size(req) ? 0 : 1;
#else
  req.job_id = id;
  return iotjobs::mqtt::encoded_size(req) ? 0 : 1;
#endif
}
