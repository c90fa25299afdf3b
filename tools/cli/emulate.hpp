// `iotjobs emulate`: the Jobs emulator on an MQTT broker (emulate.cpp).
#ifndef IOTJOBS_TOOLS_CLI_EMULATE_HPP
#define IOTJOBS_TOOLS_CLI_EMULATE_HPP

#include <string>

/// Runs until SIGINT or SIGTERM; `jobs_text` is the jobs file's content. The exit status.
int run_emulate(const std::string& broker, const std::string& jobs_text);

#endif  // IOTJOBS_TOOLS_CLI_EMULATE_HPP
