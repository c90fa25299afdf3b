// The MQTT encoders take the four Jobs requests, and say so.
// expect: the iotjobs::mqtt encoders take
#include <iotjobs/commands.hpp>
#include <iotjobs/mqtt.hpp>

int main() {
  char topic[iotjobs::mqtt::max_topic_size], payload[256];
  [[maybe_unused]] iotjobs::get_pending_job_executions_request req;
  req.thing_name = "t";
  [[maybe_unused]] iotjobs::start_command_execution_request command;
#ifdef IOTJOBS_MISUSE
  return iotjobs::mqtt::encode_to_n(topic, payload, command) ? 0 : 1;
#else
  return iotjobs::mqtt::encode_to_n(topic, payload, req) ? 0 : 1;
#endif
}
