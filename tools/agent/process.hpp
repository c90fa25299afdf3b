// A step's process for the agent: started with fork and exec in a process group of its own (so
// that a time limit or a cancel ends everything it started), optionally as another user, with
// standard input from /dev/null and its standard output and error on non-blocking pipes that the
// agent's poll() loop reads. Only the tail of each stream is kept: a handler may write megabytes.
// POSIX, with Linux's close_range() and /proc where they exist.
#ifndef IOTJOBS_TOOLS_AGENT_PROCESS_HPP
#define IOTJOBS_TOOLS_AGENT_PROCESS_HPP

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agent {

/// The last `capacity` bytes written to a stream, and how much was written in all.
class output_tail {
 public:
  explicit output_tail(std::size_t capacity) : capacity_(capacity) {}

  void append(std::string_view bytes);
  /// The bytes kept, oldest first.
  std::string text() const;
  std::uint64_t bytes() const noexcept { return bytes_; }
  /// Lines written: newlines, and one more for a last line without one.
  std::uint64_t lines() const noexcept { return newlines_ + (open_line_ ? 1 : 0); }

 private:
  std::size_t capacity_;
  std::string ring_;  // up to capacity_ bytes; once full, start_ is the oldest
  std::size_t start_ = 0;
  std::uint64_t bytes_ = 0, newlines_ = 0;
  bool open_line_ = false;  // bytes after the last newline
};

/// A user a step runs as: looked up before the fork, applied in the child.
struct user_identity {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;
  std::string home;
};

/// The user called `name`, or an error message.
std::optional<user_identity> find_user(const std::string& name, std::string& error);

struct spawn_spec {
  std::vector<std::string> argv;      // argv[0] is the program: a path, or a name looked up on PATH
  std::optional<user_identity> user;  // none: the agent's own
  std::vector<std::string> environment;  // NAME=value, added to the agent's own
};

/// How a process ended.
struct exit_status {
  bool signaled = false;
  int code = 0;  // the exit status, or the signal's number

  bool success() const noexcept { return !signaled && code == 0; }
  /// "exited with status 3", "killed by signal 9 (Killed)".
  std::string describe() const;
};

/// A started process and its two pipes. Not copyable; the destructor closes the pipes, and kills
/// the process group and waits for the process when it has not been reaped.
class child_process {
 public:
  /// Starts `spec`; nothing (and `error` says why, e.g. "cannot run reboot.sh: No such file or
  /// directory") when the program could not be executed.
  static std::optional<child_process> spawn(const spawn_spec& spec, std::size_t tail_capacity,
                                            std::string& error);
  child_process(child_process&& o) noexcept;
  child_process& operator=(child_process&& o) noexcept;
  child_process(const child_process&) = delete;
  ~child_process();

  pid_t pid() const noexcept { return pid_; }
  /// The pipes still open (-1 once closed): poll them for input.
  int stdout_fd() const noexcept { return out_fd_; }
  int stderr_fd() const noexcept { return err_fd_; }
  /// Reads what is waiting on `fd` (one of the two); closes it at its end.
  void read_from(int fd);
  /// Whether the process has ended (reaped without blocking). Once it has, what is left in the
  /// pipes is read and they are closed: a process it started in the background may hold them
  /// open, and is not waited for.
  bool reap();
  std::optional<exit_status> status() const noexcept { return status_; }
  /// Sends `sig` to the process group: while the process runs, and after it has been reaped
  /// while the group still has members (what it started in the background).
  void signal_group(int sig) const noexcept;

  const output_tail& out() const noexcept { return out_; }
  const output_tail& err() const noexcept { return err_; }

 private:
  child_process(pid_t pid, int out_fd, int err_fd, std::size_t tail_capacity)
      : pid_(pid), out_fd_(out_fd), err_fd_(err_fd), out_(tail_capacity), err_(tail_capacity) {}
  void close_pipes() noexcept;
  void end() noexcept;  // kills what has not been reaped, and closes the pipes

  pid_t pid_ = -1;
  int out_fd_ = -1, err_fd_ = -1;
  output_tail out_, err_;
  std::optional<exit_status> status_;
};

/// Whether a process group `pgid` still has a member (kill(-pgid, 0)).
bool group_alive(pid_t pgid) noexcept;

/// When process `pid` started (in clock ticks since the boot, /proc/PID/stat), if it runs.
std::optional<std::uint64_t> start_time(pid_t pid);

/// Whether the process group a step started as `pgid`, its leader started at `leader_start`,
/// still has members: its leader, or, once the leader is gone, the members it left (an id is not
/// reused while a group holds it). False once a new process has the id.
bool same_group(pid_t pgid, std::uint64_t leader_start);

}  // namespace agent

#endif  // IOTJOBS_TOOLS_AGENT_PROCESS_HPP
