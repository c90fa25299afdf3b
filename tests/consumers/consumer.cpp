// What every consumer project builds: decode a golden payload, encode a request, print both.
#include <iotjobs/iotjobs.hpp>

#include <cstdio>

int main() {
  iotjobs::decoder dec;
  const auto ev = dec.decode(
      iotjobs::mqtt::notify_next,
      R"({"timestamp":1517186779,"execution":{"jobId":"job3","status":"IN_PROGRESS","versionNumber":2,"jobDocument":{"operation":"test"}}})");
  if (!ev || !ev->execution) return 1;
  std::printf("decoded %.*s version %lld document %.*s\n",
              static_cast<int>(ev->execution->job_id.size()), ev->execution->job_id.data(),
              static_cast<long long>(*ev->execution->version_number),
              static_cast<int>(ev->execution->job_document->json().size()),
              ev->execution->job_document->json().data());

  iotjobs::update_job_execution_request req;
  req.thing_name = "consumer";
  req.job_id = "job3";
  req.status = iotjobs::update_status::succeeded;
  req.expected_version = 2;
  char topic[iotjobs::mqtt::max_topic_size];
  char payload[256];
  const auto m = iotjobs::mqtt::encode_to_n(topic, payload, req);
  if (!m) return 1;
  std::printf("encoded %.*s %.*s\n", static_cast<int>(m->topic.size()), m->topic.data(),
              static_cast<int>(m->payload.size()), m->payload.data());
  return 0;
}
