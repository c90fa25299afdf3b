// `iotjobs policy`: the AWS IoT policy the agent needs, as a policy document: iot:Connect on its
// client id, iot:Subscribe on the job runner's four filters (topicfilter ARNs, written as the
// filters are: a policy reads MQTT's + and # as plain characters), iot:Receive on the topics
// those filters bring and iot:Publish on the two requests (topic ARNs, with the policy wildcard
// `*` for the job id). Every topic comes from the library's own topic builders, so the policy
// and the agent cannot disagree
// (https://docs.aws.amazon.com/iot/latest/developerguide/pub-sub-policy.html).
#ifndef IOTJOBS_TOOLS_AGENT_POLICY_HPP
#define IOTJOBS_TOOLS_AGENT_POLICY_HPP

#include <string>

namespace agent {

struct policy_options {
  std::string thing;
  std::string client_id;  // "" for the thing name
  std::string region = "*";
  std::string account = "*";
};

/// The policy document (JSON, two-space indented, with a final newline), or an error message in
/// `error` (an invalid thing name).
std::string policy_document(const policy_options& o, std::string& error);

}  // namespace agent

#endif  // IOTJOBS_TOOLS_AGENT_POLICY_HPP
