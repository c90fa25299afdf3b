#include "state_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <simdjson.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include <iotjobs/detail/json_writer.hpp>

namespace agent {
namespace {

std::string errno_text(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

// Writes all of `text` to `fd`.
bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

state_file::state_file(std::string directory, const std::string& thing)
    : directory_(std::move(directory)),
      path_(directory_.empty() ? std::string() : directory_ + "/" + thing + ".json") {}

std::optional<job_record> state_file::load() const {
  if (path_.empty()) return std::nullopt;
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  if (parser.load(path_).get_object().get(o)) return std::nullopt;  // none, or not ours
  job_record r;
  std::string_view text;
  std::int64_t n = 0;
  if (o["jobId"].get_string().get(text)) return std::nullopt;
  r.job_id = std::string(text);
  if (!o["executionNumber"].get_int64().get(n)) r.execution_number = n;
  if (!o["completed"].get_int64().get(n)) r.completed = static_cast<int>(n);
  if (!o["running"].get_int64().get(n)) r.running = static_cast<int>(n);
  if (!o["boot"].get_string().get(text)) r.boot = std::string(text);
  if (!o["processGroup"].get_int64().get(n)) r.process_group = static_cast<pid_t>(n);
  if (!o["groupStart"].get_int64().get(n)) r.group_start = static_cast<std::uint64_t>(n);
  if (!o["reboots"].get_int64().get(n)) r.reboots = static_cast<int>(n);
  return r;
}

std::string state_file::save(const job_record& r) const {
  if (path_.empty()) return {};
  std::string text;
  iotjobs::detail::iterator_sink<std::back_insert_iterator<std::string>> s{
      std::back_inserter(text)};
  iotjobs::detail::json_object_writer<decltype(s)> o(s);
  o.string_member("jobId", r.job_id);
  o.int_member("executionNumber", r.execution_number);
  o.int_member("completed", r.completed);
  o.int_member("running", r.running);
  o.string_member("boot", r.boot);
  o.int_member("processGroup", r.process_group);
  o.int_member("groupStart", static_cast<std::int64_t>(r.group_start));
  o.int_member("reboots", r.reboots);
  o.finish();
  text += '\n';
  const std::string temporary = path_ + ".tmp";
  const int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return errno_text(temporary);
  const bool written = write_all(fd, text) && fsync(fd) == 0;
  const std::string failure = written ? std::string() : errno_text(temporary);
  close(fd);
  if (!written) return failure;
  if (rename(temporary.c_str(), path_.c_str()) != 0) return errno_text(path_);
  // The rename itself is on the disk once the directory is.
  const int dir = open(directory_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return errno_text(directory_);
  const bool synced = fsync(dir) == 0;
  close(dir);
  return synced ? std::string() : errno_text(directory_);
}

std::string state_file::clear() const {
  if (path_.empty() || unlink(path_.c_str()) == 0 || errno == ENOENT) return {};
  return errno_text(path_);
}

std::string read_boot_id(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace agent
