// Topics: whatever parse_topic accepts rebuilds byte for byte (so it accepts nothing a builder
// could not have produced), and whatever a builder writes parses back to the same fields. The
// builders succeed exactly when the names obey validate.hpp.
#include <iotjobs/commands.hpp>
#include <iotjobs/mqtt.hpp>
#include <iotjobs/validate.hpp>

#include "fuzz.hpp"
#include "targets.hpp"

namespace iotjobs_fuzz {
namespace {

// A job id or execution id: empty, `$next`, the `+` wildcard, or drawn text.
std::string draw_id(reader& in) {
  switch (in.byte() % 8) {
    case 0: return "";
    case 1: return "$next";
    case 2: return "+";
    default: return in.text(job_chars);
  }
}

}  // namespace

void jobs_topic(const std::uint8_t* data, std::size_t size) {
  namespace mqtt = iotjobs::mqtt;
  reader in(data, size);
  char buf[mqtt::max_topic_size];
  if (in.flag()) {
    const std::string_view topic = in.rest();
    const auto t = mqtt::parse_topic(against_guard_page(topic));
    if (!t) return;
    const auto again = mqtt::build_topic(t->kind, t->thing_name, t->job_id, buf, t->namespace_id);
    IOTJOBS_FUZZ_CHECK(again && *again == topic);
    return;
  }
  // Every kind, and one value past the last, which no topic has.
  const auto kind = static_cast<mqtt::topic_kind>(in.byte() % (mqtt::topic_kind_count + 1));
  const std::string thing = in.text(thing_chars);
  const std::string job = draw_id(in);
  // A Greengrass namespace, or none (empty).
  const std::string ns = in.flag() ? in.text(job_chars) : std::string();
  // The rule, from validate.hpp alone.
  const bool per_job = mqtt::has_job_id(kind);
  const bool describe = kind == mqtt::topic_kind::describe ||
                        kind == mqtt::topic_kind::describe_accepted ||
                        kind == mqtt::topic_kind::describe_rejected;
  const bool job_ok = !per_job     ? job.empty()
                      : job == "+" ? !mqtt::is_request(kind)
                                   : (describe ? iotjobs::is_valid_job_id_or_next(job)
                                               : iotjobs::is_valid_job_id(job));
  const bool ns_ok =
      ns.empty() || (mqtt::has_namespace_form(kind) && iotjobs::is_valid_namespace_id(ns));
  const auto built = mqtt::build_topic(kind, thing, job, buf, ns);
  if (static_cast<std::size_t>(kind) == mqtt::topic_kind_count) {
    IOTJOBS_FUZZ_CHECK(built.error() == iotjobs::error::invalid_topic);
    return;
  }
  bool ok = iotjobs::is_valid_thing_name(thing) && job_ok && ns_ok;
  if (ok && !ns.empty()) {
    // The namespace adds `/namespace-` (or `-namespace-`) and its id to the plain topic, which
    // must stay within AWS IoT's 256 bytes.
    char plain[mqtt::max_topic_size];
    const auto p = mqtt::build_topic(kind, thing, job, plain);
    ok = p && p->size() + 11 + ns.size() <= mqtt::max_topic_bytes;
  }
  IOTJOBS_FUZZ_CHECK(static_cast<bool>(built) == ok);
  if (!built) return;
  const auto parsed = mqtt::parse_topic(*built);
  if (job == "+") {  // a subscription filter, never a topic
    IOTJOBS_FUZZ_CHECK(!parsed);
    return;
  }
  IOTJOBS_FUZZ_CHECK(parsed && parsed->kind == kind && parsed->thing_name == thing &&
                     parsed->job_id == job && parsed->namespace_id == ns);
  IOTJOBS_FUZZ_CHECK(built->data()[built->size()] == '\0');  // C clients publish the buffer
}

void commands_topic(const std::uint8_t* data, std::size_t size) {
  namespace cmd = iotjobs::commands;
  reader in(data, size);
  char buf[cmd::max_topic_size];
  if (in.flag()) {
    const std::string_view topic = in.rest();
    const auto t = cmd::parse_topic(against_guard_page(topic));
    if (!t) return;
    const auto again =
        cmd::build_topic(t->kind, t->device, t->device_id, t->execution_id, t->format, buf);
    IOTJOBS_FUZZ_CHECK(again && *again == topic);
    return;
  }
  const auto kind = static_cast<cmd::topic_kind>(in.byte() % 4);
  const auto device = static_cast<cmd::device_type>(in.byte() % 2);
  const auto format = static_cast<cmd::payload_format>(in.byte() % 3);
  const std::string id = in.text(thing_chars);
  const std::string execution = draw_id(in);
  const bool id_ok = device == cmd::device_type::thing ? iotjobs::is_valid_thing_name(id)
                                                       : iotjobs::is_valid_client_id(id);
  const bool execution_ok = execution == "+" ? kind != cmd::topic_kind::response
                                             : iotjobs::is_valid_execution_id(execution);
  const auto built = cmd::build_topic(kind, device, id, execution, format, buf);
  IOTJOBS_FUZZ_CHECK(static_cast<bool>(built) ==
                     (id_ok && execution_ok));  // every format, every kind
  if (!built) return;
  const auto parsed = cmd::parse_topic(*built);
  if (execution == "+") {
    IOTJOBS_FUZZ_CHECK(!parsed);
    return;
  }
  IOTJOBS_FUZZ_CHECK(parsed && parsed->kind == kind && parsed->device == device &&
                     parsed->device_id == id && parsed->execution_id == execution &&
                     parsed->format == format);
}

}  // namespace iotjobs_fuzz
