#include "process.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

extern char** environ;

namespace agent {

void output_tail::append(std::string_view bytes) {
  bytes_ += bytes.size();
  for (const char c : bytes)
    newlines_ += c == '\n';
  if (!bytes.empty()) open_line_ = bytes.back() != '\n';
  if (bytes.size() >= capacity_) {  // the new bytes alone fill the tail
    ring_.assign(bytes.substr(bytes.size() - capacity_));
    start_ = 0;
    return;
  }
  if (ring_.size() < capacity_) {  // not yet full: append what fits, wrap the rest
    const std::size_t room = capacity_ - ring_.size();
    ring_.append(bytes.substr(0, room));
    bytes.remove_prefix(std::min(room, bytes.size()));
  }
  for (const char c : bytes) {  // full: overwrite the oldest
    ring_[start_] = c;
    start_ = (start_ + 1) % capacity_;
  }
}

std::string output_tail::text() const {
  return ring_.substr(start_) + ring_.substr(0, start_);
}

std::optional<user_identity> find_user(const std::string& name, std::string& error) {
  long size = sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buffer(size > 0 ? static_cast<std::size_t>(size) : 16384);
  passwd pw{};
  passwd* found = nullptr;
  const int rc = getpwnam_r(name.c_str(), &pw, buffer.data(), buffer.size(), &found);
  if (found == nullptr) {
    error = "no user " + name + (rc != 0 ? std::string(": ") + std::strerror(rc) : "");
    return std::nullopt;
  }
  user_identity u{name, pw.pw_uid, pw.pw_gid, {}, pw.pw_dir};
  int count = 32;
  for (;;) {
    u.groups.resize(static_cast<std::size_t>(count));
    int n = count;
    if (getgrouplist(name.c_str(), pw.pw_gid, u.groups.data(), &n) >= 0) {
      u.groups.resize(static_cast<std::size_t>(n));
      return u;
    }
    count = n > count ? n : count * 2;
  }
}

std::string exit_status::describe() const {
  if (!signaled) return "exited with status " + std::to_string(code);
  const char* name = strsignal(code);
  return "killed by signal " + std::to_string(code) + (name ? " (" + std::string(name) + ")" : "");
}

namespace {

void close_fd(int& fd) noexcept {
  if (fd >= 0) close(fd);
  fd = -1;
}

// The environment the child gets: the agent's, with `extra` (NAME=value) replacing or adding.
std::vector<std::string> environment_of(const spawn_spec& spec) {
  std::vector<std::string> extra = spec.environment;
  if (spec.user) {
    extra.push_back("USER=" + spec.user->name);
    extra.push_back("LOGNAME=" + spec.user->name);
    extra.push_back("HOME=" + spec.user->home);
  }
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const std::string_view name = entry.substr(0, entry.find('=') + 1);
    bool replaced = false;
    for (const std::string& x : extra)
      replaced = replaced || std::string_view(x).substr(0, name.size()) == name;
    if (!replaced) env.emplace_back(entry);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

std::vector<char*> pointers_to(std::vector<std::string>& strings) {
  std::vector<char*> p;
  for (std::string& s : strings)
    p.push_back(s.data());
  p.push_back(nullptr);
  return p;
}

// In the child, between fork and exec (the agent has one thread, so nothing here can find a lock
// held by another; nothing allocates either). Reports errno on `status`
// and exits when something fails. `max_fd` bounds the descriptors to close without
// close_range().
[[noreturn]] void exec_child(const spawn_spec& spec, char* const* argv, char* const* envp, int out,
                             int err, int status, int max_fd) {
  const auto fail = [status] {
    const int e = errno;
    [[maybe_unused]] ssize_t n = write(status, &e, sizeof e);
    _exit(127);
  };
  setpgid(0, 0);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  for (const int sig : {SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGQUIT})
    signal(sig, SIG_DFL);  // what the agent set or ignored is not the step's
  const int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) fail();
    // The agent's sockets and files stay with it (libmosquitto's socket is not close-on-exec).
    // close_range() needs Linux 5.11; before it, each descriptor is closed but `status`, which
    // closes itself at exec.
#ifdef CLOSE_RANGE_CLOEXEC
  if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
#endif
    for (int fd = 3; fd < max_fd; ++fd) {
      if (fd != status) close(fd);
    }
  if (spec.user) {
    const user_identity& u = *spec.user;
    if (setgroups(u.groups.size(), u.groups.data()) != 0 || setgid(u.gid) != 0 ||
        setuid(u.uid) != 0)
      fail();
  }
  execvpe(argv[0], argv, envp);
  fail();
  _exit(127);  // (fail() does not return)
}

}  // namespace

std::optional<child_process> child_process::spawn(const spawn_spec& spec, std::size_t tail_capacity,
                                                  std::string& error) {
  std::vector<std::string> args = spec.argv;
  std::vector<std::string> env = environment_of(spec);
  const std::vector<char*> argv = pointers_to(args), envp = pointers_to(env);
  int out[2], err[2], status[2];
  if (pipe2(out, O_CLOEXEC) != 0) return error = std::strerror(errno), std::nullopt;
  if (pipe2(err, O_CLOEXEC) != 0) {
    error = std::strerror(errno);
    close(out[0]), close(out[1]);
    return std::nullopt;
  }
  if (pipe2(status, O_CLOEXEC) != 0) {
    error = std::strerror(errno);
    for (int fd : {out[0], out[1], err[0], err[1]})
      close(fd);
    return std::nullopt;
  }
  const long open_max = sysconf(_SC_OPEN_MAX);
  const int max_fd = open_max > 0 && open_max < 65536 ? static_cast<int>(open_max) : 65536;
  const pid_t pid = fork();
  if (pid == 0) exec_child(spec, argv.data(), envp.data(), out[1], err[1], status[1], max_fd);
  const int fork_errno = errno;
  for (int fd : {out[1], err[1], status[1]})
    close(fd);
  if (pid < 0) {
    for (int fd : {out[0], err[0], status[0]})
      close(fd);
    error = std::string("fork: ") + std::strerror(fork_errno);
    return std::nullopt;
  }
  setpgid(pid, pid);  // as the child does: whichever runs first, the group exists on return
  // The status pipe closes at exec (O_CLOEXEC), or brings the errno of what failed before it.
  int child_errno = 0;
  ssize_t n;
  do {
    n = read(status[0], &child_errno, sizeof child_errno);
  } while (n < 0 && errno == EINTR);
  close(status[0]);
  if (n == sizeof child_errno) {
    waitpid(pid, nullptr, 0);
    close(out[0]), close(err[0]);
    error = "cannot run " + spec.argv[0] + ": " + std::strerror(child_errno);
    return std::nullopt;
  }
  fcntl(out[0], F_SETFL, fcntl(out[0], F_GETFL) | O_NONBLOCK);
  fcntl(err[0], F_SETFL, fcntl(err[0], F_GETFL) | O_NONBLOCK);
  return child_process(pid, out[0], err[0], tail_capacity);
}

child_process::child_process(child_process&& o) noexcept
    : pid_(std::exchange(o.pid_, -1)),
      out_fd_(std::exchange(o.out_fd_, -1)),
      err_fd_(std::exchange(o.err_fd_, -1)),
      out_(std::move(o.out_)),
      err_(std::move(o.err_)),
      status_(o.status_) {}

child_process& child_process::operator=(child_process&& o) noexcept {
  if (this == &o) return *this;
  end();
  pid_ = std::exchange(o.pid_, -1);
  out_fd_ = std::exchange(o.out_fd_, -1);
  err_fd_ = std::exchange(o.err_fd_, -1);
  out_ = std::move(o.out_);
  err_ = std::move(o.err_);
  status_ = o.status_;
  return *this;
}

child_process::~child_process() {
  end();
}

void child_process::end() noexcept {
  if (pid_ > 0 && !status_) {
    kill(-pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  pid_ = -1;
  close_pipes();
}

void child_process::close_pipes() noexcept {
  close_fd(out_fd_);
  close_fd(err_fd_);
}

void child_process::read_from(int fd) {
  if (fd < 0 || (fd != out_fd_ && fd != err_fd_)) return;
  output_tail& tail = fd == out_fd_ ? out_ : err_;
  char buffer[16384];
  // At most 1 MiB a call: a process that writes without pause does not hold the loop.
  for (int i = 0; i < 64; ++i) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n > 0) {
      tail.append(std::string_view(buffer, static_cast<std::size_t>(n)));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 || errno != EAGAIN) close_fd(fd == out_fd_ ? out_fd_ : err_fd_);  // its end
    return;
  }
}

bool child_process::reap() {
  if (status_) return true;
  int st = 0;
  const pid_t r = waitpid(pid_, &st, WNOHANG);
  if (r != pid_) return false;
  status_ = WIFSIGNALED(st) ? exit_status{true, WTERMSIG(st)} : exit_status{false, WEXITSTATUS(st)};
  read_from(out_fd_);
  read_from(err_fd_);
  close_pipes();
  return true;
}

void child_process::signal_group(int sig) const noexcept {
  if (pid_ > 0 && (!status_ || group_alive(pid_))) kill(-pid_, sig);
}

bool group_alive(pid_t pgid) noexcept {
  return pgid > 0 && (kill(-pgid, 0) == 0 || errno == EPERM);
}

std::optional<std::uint64_t> start_time(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(in, text)) return std::nullopt;
  // After the command's ")": the state is field 3; the start time field 22.
  std::istringstream fields(text.substr(text.rfind(')') + 1));
  std::string field;
  for (int i = 3; i <= 22 && fields >> field; ++i) {
    if (i == 22) return std::strtoull(field.c_str(), nullptr, 10);
  }
  return std::nullopt;
}

bool same_group(pid_t pgid, std::uint64_t leader_start) {
  if (pgid <= 0) return false;
  if (const auto started = start_time(pgid)) return *started == leader_start;
  return group_alive(pgid);
}

}  // namespace agent
