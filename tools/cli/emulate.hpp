// `iotjobs emulate`: the Jobs emulator on an MQTT broker (emulate.cpp).
#ifndef IOTJOBS_TOOLS_CLI_EMULATE_HPP
#define IOTJOBS_TOOLS_CLI_EMULATE_HPP

#include <string>

/// Runs until SIGINT or SIGTERM; `jobs_text` is the jobs file's content; the emulator's clock
/// runs `time_scale` times faster than real time; `trace` prints every change of an execution.
/// The exit status.
int run_emulate(const std::string& broker, const std::string& jobs_text, double time_scale,
                bool trace);

#endif  // IOTJOBS_TOOLS_CLI_EMULATE_HPP
