// A device's message loop without the MQTT client: each incoming (topic, payload) pair is decoded
// by its topic (mqtt::decode) and answered with the request a device would publish next. Swap the
// `incoming` table for your MQTT client's message callback and `publish` for its publish call.
#include <iotjobs/iotjobs.hpp>

#include <cstdio>
#include <string_view>

namespace {

constexpr std::string_view my_thing = "sensor-42";

void publish(const iotjobs::message_view& m) {
  std::printf("  -> publish %.*s\n     %.*s\n", static_cast<int>(m.topic.size()), m.topic.data(),
              static_cast<int>(m.payload.size()), m.payload.data());
}

void fail(std::string_view what, iotjobs::error e) {
  const std::string_view text = iotjobs::message(e);
  std::printf("  !! %.*s: %.*s\n", static_cast<int>(what.size()), what.data(),
              static_cast<int>(text.size()), text.data());
}

// Asks for the next job, reporting that this device is ready.
void start_next() {
  const iotjobs::status_detail details[] = {{"agent", "route_messages"}};
  iotjobs::start_next_pending_job_execution_request req;
  req.thing_name = my_thing;
  req.status_details = details;
  req.step_timeout_in_minutes = 30;
  req.client_token = "tok-start-1";
  char topic[iotjobs::mqtt::max_topic_size];
  char payload[256];
  const auto m = iotjobs::mqtt::encode_to_n(topic, payload, req);
  if (!m) return fail("encode start-next", m.error());
  publish(*m);
}

// Reports progress on a job, with the version it was last seen at.
void report(std::string_view job_id, iotjobs::update_status status, std::int64_t version,
            std::string_view step) {
  const iotjobs::status_detail details[] = {{"step", step}};
  iotjobs::update_job_execution_request req;
  req.thing_name = my_thing;
  req.job_id = job_id;
  req.status = status;
  req.status_details = details;
  req.expected_version = version;
  req.client_token = "tok-update-1";
  char topic[iotjobs::mqtt::max_topic_size];
  char payload[512];
  const auto m = iotjobs::mqtt::encode_to_n(topic, payload, req);
  if (!m) return fail("encode update", m.error());
  publish(*m);
}

void on_notify_next(const iotjobs::notify_next_view& ev) {
  if (!ev.execution) {
    std::printf("  queue is empty: nothing to do\n");
    return;
  }
  std::printf("  next job %.*s is %.*s\n", static_cast<int>(ev.execution->job_id.size()),
              ev.execution->job_id.data(), static_cast<int>(ev.execution->status_text.size()),
              ev.execution->status_text.data());
  start_next();
}

void on_started(const iotjobs::execution_accepted_view& r) {
  if (!r.execution) {
    std::printf("  nothing pending\n");
    return;
  }
  const iotjobs::job_execution_view& x = *r.execution;
  const std::string_view doc = x.job_document ? x.job_document->json() : "{}";
  std::printf("  started %.*s (version %lld), document %.*s\n", static_cast<int>(x.job_id.size()),
              x.job_id.data(), static_cast<long long>(x.version_number.value_or(0)),
              static_cast<int>(doc.size()), doc.data());
  report(x.job_id, iotjobs::update_status::succeeded, x.version_number.value_or(0), "installed");
}

void on_rejected(std::string_view job_id, const iotjobs::rejected_view& r) {
  std::printf("  update of %.*s rejected: %.*s (%.*s)\n", static_cast<int>(job_id.size()),
              job_id.data(), static_cast<int>(r.code_text.size()), r.code_text.data(),
              static_cast<int>(r.message.value_or("").size()), r.message.value_or("").data());
  if (r.code == iotjobs::rejection_code::version_mismatch && r.execution_state &&
      r.execution_state->version_number) {
    report(job_id, iotjobs::update_status::succeeded, *r.execution_state->version_number,
           "installed (retry)");
  }
}

void on_message(iotjobs::decoder& dec, std::string_view topic, std::string_view payload) {
  using iotjobs::mqtt::topic_kind;
  std::printf("<- %.*s\n", static_cast<int>(topic.size()), topic.data());
  const auto m = iotjobs::mqtt::decode(dec, topic, payload);  // the decoder picked by the topic
  if (!m) return fail("decode", m.error());
  if (m->topic.thing_name != my_thing) {  // AWS IoT delivers responses unasked: check the addressee
    std::printf("  ignored: addressed to another thing\n");
    return;
  }
  if (const auto* ev = m->get_if<iotjobs::notify_next_view>()) return on_notify_next(*ev);
  if (m->topic.kind == topic_kind::start_next_accepted)
    return on_started(*m->get_if<iotjobs::execution_accepted_view>());
  if (m->topic.kind == topic_kind::update_rejected)
    return on_rejected(m->topic.job_id, *m->get_if<iotjobs::rejected_view>());
  std::printf("  (not handled in this example)\n");
}

}  // namespace

int main() {
  const std::pair<std::string_view, std::string_view> incoming[] = {
      {"$aws/things/sensor-42/jobs/notify-next",
       R"({"timestamp":1700000000,"execution":{"jobId":"fw-1_2_3","status":"QUEUED","queuedAt":1699999990,"lastUpdatedAt":1699999990,"versionNumber":1,"executionNumber":1,"jobDocument":{"operation":"firmware-update","version":"1.2.3"}}})"},
      {"$aws/things/sensor-42/jobs/start-next/accepted",
       R"({"execution":{"jobId":"fw-1_2_3","thingName":"sensor-42","status":"IN_PROGRESS","queuedAt":1699999990,"startedAt":1700000001,"lastUpdatedAt":1700000001,"versionNumber":2,"executionNumber":1,"jobDocument":{"operation":"firmware-update","version":"1.2.3"}},"timestamp":1700000001,"clientToken":"tok-start-1"})"},
      {"$aws/things/sensor-42/jobs/fw-1_2_3/update/rejected",
       R"({"code":"VersionMismatch","message":"expected version 2, current 3","clientToken":"tok-update-1","timestamp":1700000002,"executionState":{"status":"IN_PROGRESS","versionNumber":3}})"},
      {"$aws/things/sensor-42/jobs/notify-next", R"({"timestamp":1700000003})"},
      {"$aws/things/other-thing/jobs/notify-next", R"({"timestamp":1700000004})"},
      {"$aws/things/sensor-42/jobs/notify-next", R"({"timestamp":1700000005,"execution":tru})"},
  };
  iotjobs::decoder dec;
  for (const auto& [topic, payload] : incoming)
    on_message(dec, topic, payload);
  return 0;
}
