// What an encoder writes into a temporary std::string would be gone with it.
// expect: no match|cannot bind|no viable|could not convert
#include <iotjobs/mqtt.hpp>

#include <string>

int main() {
  iotjobs::get_pending_job_executions_request req;
  req.thing_name = "t";
  std::string topic(iotjobs::mqtt::max_topic_size, ' '), payload(64, ' ');
#ifdef IOTJOBS_MISUSE
  return iotjobs::mqtt::encode_to_n(std::string(256, ' '), payload, req) ? 0 : 1;
#else
  return iotjobs::mqtt::encode_to_n(topic, payload, req) ? 0 : 1;
#endif
}
