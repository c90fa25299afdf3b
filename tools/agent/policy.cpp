#include "policy.hpp"

#include <iterator>
#include <string_view>
#include <vector>

#include <iotjobs/detail/json_writer.hpp>
#include <iotjobs/iotjobs.hpp>

namespace agent {
namespace {

namespace mqtt = iotjobs::mqtt;
using mqtt::topic_kind;

std::string json_string(std::string_view s) {
  std::string out;
  iotjobs::detail::iterator_sink<std::back_insert_iterator<std::string>> sink{
      std::back_inserter(out)};
  iotjobs::detail::write_json_string(sink, s);
  return out;
}

// A per-job topic for every job: built for a stand-in job id, whose segment becomes `*`.
std::string any_job(topic_kind kind, const std::string& thing) {
  constexpr std::string_view stand_in = "iotjobs-any-job";
  char buffer[mqtt::max_topic_size];
  const auto t = mqtt::build_topic(kind, thing, stand_in, buffer);
  std::string topic(t ? *t : std::string_view());
  const std::string segment = "/jobs/" + std::string(stand_in) + "/";
  if (const std::size_t at = topic.find(segment); at != std::string::npos)
    topic.replace(at, segment.size(), "/jobs/*/");
  return topic;
}

std::string statement(std::string_view action, const std::vector<std::string>& resources,
                      bool last) {
  std::string s = "    {\n      \"Effect\": \"Allow\",\n      \"Action\": " + json_string(action) +
                  ",\n      \"Resource\": [\n";
  for (std::size_t i = 0; i < resources.size(); ++i)
    s += "        " + json_string(resources[i]) + (i + 1 < resources.size() ? ",\n" : "\n");
  return s + "      ]\n    }" + (last ? "\n" : ",\n");
}

}  // namespace

std::string policy_document(const policy_options& o, std::string& error) {
  char storage[mqtt::device_filters_size];
  const auto filters = mqtt::device_filters(o.thing, storage);
  if (!filters) {
    error = std::string(iotjobs::name(filters.error())) + ": " +
            std::string(iotjobs::message(filters.error()));
    return {};
  }
  const std::string arn = "arn:aws:iot:" + o.region + ":" + o.account + ":";
  const auto topic = [&](topic_kind kind) {
    char buffer[mqtt::max_topic_size];
    const auto t = mqtt::build_topic(kind, o.thing, {}, buffer);
    return arn + "topic/" + std::string(t ? *t : std::string_view());
  };
  std::vector<std::string> subscribe;
  for (std::string_view f : *filters)
    subscribe.push_back(arn + "topicfilter/" + std::string(f));
  std::vector<std::string> receive = {topic(topic_kind::notify_next), topic(topic_kind::notify)};
  for (const topic_kind k : {topic_kind::describe_accepted, topic_kind::describe_rejected,
                             topic_kind::update_accepted, topic_kind::update_rejected})
    receive.push_back(arn + "topic/" + any_job(k, o.thing));
  const std::vector<std::string> publish = {arn + "topic/" + any_job(topic_kind::describe, o.thing),
                                            arn + "topic/" + any_job(topic_kind::update, o.thing)};
  return "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n" +
         statement("iot:Connect", {arn + "client/" + (o.client_id.empty() ? o.thing : o.client_id)},
                   false) +
         statement("iot:Subscribe", subscribe, false) + statement("iot:Receive", receive, false) +
         statement("iot:Publish", publish, true) + "  ]\n}\n";
}

}  // namespace agent
