// The agent's record of the job it runs, in --state-dir: which steps have completed, which one
// runs (its process group, and the boot it started in), so that an agent killed or a device
// rebooted mid-job carries on after the last completed step. One small JSON object per thing
// (`<thing>.json`), replaced atomically: written to a temporary file, flushed to the disk, renamed
// over the old one, and the directory flushed, so that a power cut leaves the old record or the
// new one, never a torn one.
#ifndef IOTJOBS_TOOLS_AGENT_STATE_FILE_HPP
#define IOTJOBS_TOOLS_AGENT_STATE_FILE_HPP

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

namespace agent {

struct job_record {
  std::string job_id;
  std::int64_t execution_number = 0;  // 0: not known
  int completed = 0;                  // steps completed, in the order they run
  int running = 0;                    // the step running (1-based), 0 for none
  std::string boot;                   // the boot the running step started in
  pid_t process_group = 0;            // the running step's, 0 once its process has ended
  std::uint64_t group_start = 0;      // when its leader started (start_time())
  int reboots = 0;                    // how many reboots of the device the running step has seen
};

class state_file {
 public:
  /// No directory: nothing is kept (every call succeeds and load() finds nothing).
  state_file(std::string directory, const std::string& thing);

  std::optional<job_record> load() const;
  /// Replaces the record; an error message, or "".
  std::string save(const job_record& r) const;
  /// Forgets the record (the job has ended); an error message, or "".
  std::string clear() const;

 private:
  std::string directory_, path_;
};

/// This boot's identity: the first line of `path` (/proc/sys/kernel/random/boot_id on Linux), or
/// "" when it cannot be read.
std::string read_boot_id(const std::string& path);

}  // namespace agent

#endif  // IOTJOBS_TOOLS_AGENT_STATE_FILE_HPP
