// `iotjobs agent`: a device agent for Linux on the job runner (iotjobs/runner.hpp), the job
// documents (iotjobs/documents.hpp) and libmosquitto. It runs the AWS IoT Device Client's job
// documents (and so the AWS managed templates): each step's handler or command as a process of
// its own, its progress reported in the execution's statusDetails, a job carried on after its
// last completed step when the agent or the device restarts. docs/agent.md says what it does on
// each path, and where it differs from the Device Client.
#ifndef IOTJOBS_TOOLS_AGENT_AGENT_HPP
#define IOTJOBS_TOOLS_AGENT_AGENT_HPP

#include <chrono>
#include <cstdint>
#include <string>

#include "connection.hpp"
#include "log.hpp"

namespace agent {

/// What the agent does with a job whose document is not the Device Client's (FreeRTOS OTA, or
/// any other JSON object): leave it to whoever owns it (another agent of the device), or reject
/// it (this agent is the device's only one, and nobody else would ever end it).
enum class foreign_jobs : std::uint8_t { leave, reject };

struct agent_options {
  std::string thing;
  connection_options connection;
  std::string handlers;   // --handlers: the handler directory ("path": "default", or none given)
  std::string state_dir;  // --state-dir: "" keeps no state file
  std::string boot_id_file = "/proc/sys/kernel/random/boot_id";
  std::chrono::seconds step_timeout = std::chrono::hours(1);
  std::chrono::seconds kill_grace = std::chrono::seconds(5);  // SIGTERM, then SIGKILL
  foreign_jobs foreign = foreign_jobs::leave;
  log_format format = log_format::text;
};

/// Runs the agent until SIGTERM or SIGINT; the exit status (0 after a clean stop, 1 when it
/// cannot start).
int run(const agent_options& options);

}  // namespace agent

#endif  // IOTJOBS_TOOLS_AGENT_AGENT_HPP
