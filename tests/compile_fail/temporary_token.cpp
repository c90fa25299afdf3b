// An optional borrowed member refuses a temporary std::string too.
// expect: deleted|no match|no viable
#include <iotjobs/mqtt.hpp>

#include <string>

int main() {
  iotjobs::get_pending_job_executions_request req;
  req.thing_name = "t";
  const std::string token(8, 'c');
#ifdef IOTJOBS_MISUSE
  req.client_token = std::string(8, 'c');
  return iotjobs::mqtt::encoded_size(req) ? 0 : 1;
#else
  req.client_token = token;
  return iotjobs::mqtt::encoded_size(req) ? 0 : 1;
#endif
}
