#include "agent.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <iotjobs/iotjobs.hpp>

#include "process.hpp"
#include "state_file.hpp"

namespace agent {
namespace {

namespace rn = iotjobs::runner;
namespace docs = iotjobs::documents;
using iotjobs::update_status;

// Each stream's tail kept: enough for the 1024 code points of a statusDetails value.
constexpr std::size_t tail_capacity = iotjobs::max_status_details_value_size;
// The largest report the agent makes: five values of 1024 code points of 4 bytes at worst (step,
// stepName, reason, stderr, stdout), their keys and the request around them.
constexpr std::size_t max_report_size = 5 * (iotjobs::max_status_details_value_size + 16) + 512;

// ---- signals: a self-pipe that poll() watches -------------------------------------------------

int signal_pipe[2] = {-1, -1};
volatile sig_atomic_t stop_signal = 0;

extern "C" void on_signal(int sig) {
  const int saved = errno;
  if (sig != SIGCHLD) stop_signal = sig;
  const char byte = 0;
  [[maybe_unused]] const ssize_t n = write(signal_pipe[1], &byte, 1);
  errno = saved;
}

bool install_signals(std::string& error) {
  if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
    error = std::string("pipe: ") + std::strerror(errno);
    return false;
  }
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  for (const int sig : {SIGTERM, SIGINT, SIGCHLD})
    sigaction(sig, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return true;
}

void drain_signal_pipe() {
  char buffer[64];
  while (read(signal_pipe[0], buffer, sizeof buffer) > 0) {
  }
}

// ---- small helpers ----------------------------------------------------------------------------

rn::instant to_instant(clock::time_point t) {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(t);
}

std::string step_text(std::size_t index, std::size_t count) {
  return std::to_string(index + 1) + "/" + std::to_string(count);
}

// "k/n" of a statusDetails `step` this agent wrote: k, when n is `count`.
std::optional<std::size_t> parse_step(std::string_view text, std::size_t count) {
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::size_t k = 0, n = 0;
  const auto a = std::from_chars(text.data(), text.data() + slash, k);
  const auto b = std::from_chars(text.data() + slash + 1, text.data() + text.size(), n);
  if (a.ec != std::errc() || a.ptr != text.data() + slash || b.ec != std::errc() ||
      b.ptr != text.data() + text.size() || n != count || k < 1 || k > n)
    return std::nullopt;
  return k;
}

std::string current_user() {
  const passwd* pw = getpwuid(geteuid());
  return pw != nullptr ? pw->pw_name : std::to_string(geteuid());
}

// A statusDetails entry list built as the job goes, each value made valid by the library's
// builder (category C and bad UTF-8 to spaces, cut to 1024 code points).
class details {
 public:
  void add(std::string key, std::string_view text, iotjobs::keep which = iotjobs::keep::start) {
    // max_status_details_value_size bytes always hold the value (validate.hpp): it cannot fail.
    char value[iotjobs::max_status_details_value_size];
    entries_.emplace_back(std::move(key), *iotjobs::make_status_details_value(text, value, which));
  }
  std::optional<iotjobs::status_details_view> view() {
    views_.clear();
    for (const auto& [k, v] : entries_)
      views_.push_back({k, v});
    if (views_.empty()) return std::nullopt;
    return iotjobs::status_details_view(views_);
  }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
  std::vector<iotjobs::status_detail> views_;
};

// ---- the agent --------------------------------------------------------------------------------

// Why a step was run again: the agent stopped during it (this boot), the device rebooted during
// it, or the service says it was running and no state file tells more.
enum class interruption : std::uint8_t { none, restart, reboot, unknown };

constexpr const char* interruption_name(interruption i) {
  switch (i) {
    case interruption::restart: return "restart";
    case interruption::reboot: return "reboot";
    case interruption::unknown: return "unknown";
    case interruption::none: break;
  }
  return "";
}

// A step's process while it runs.
struct step_process {
  step_process(child_process c, clock::time_point start, clock::time_point limit)
      : child(std::move(c)), started(start), deadline(limit) {}
  child_process child;
  clock::time_point started, deadline;
  std::optional<clock::time_point> kill_at;  // SIGTERM sent: SIGKILL then
  bool killed = false;                       // SIGKILL sent
  bool timed_out = false;
};

// The job being run. (Both are outside job_agent: clang cannot default-construct a nested
// class with default member initializers before the class around it is complete.)
struct job {
  std::string id;
  std::optional<std::int64_t> execution_number;
  docs::device_client_view document;           // its views point into documents_
  std::vector<const docs::action_view*> plan;  // the steps, then the finalStep
  std::size_t next = 0;                        // the step to run next
  std::optional<step_process> step;
  interruption resumed_from = interruption::none;
  int reboots = 0;         // reboots the running step has seen (from the state file)
  bool announced = false;  // the step `next` waits for its announcement to be applied
  int announce_refusals = 0;
  bool reported = false;  // the final report is given: nothing more to run
  update_status final_status = update_status::succeeded;
  int final_refusals = 0;
  output_tail stdout_tail{tail_capacity};  // of every step run, for includeStdOut
};

class job_agent {
 public:
  job_agent(const agent_options& o, const logger& log)
      : o_(o), log_(log), state_(o.state_dir, o.thing), boot_(read_boot_id(o.boot_id_file)) {}

  int run();

 private:
  // The runner's glue.
  void flush();
  void on_event(const rn::event& e);
  void on_started(const rn::job_started& s);
  void on_ended(const rn::job_ended& e);

  // The job's steps.
  std::size_t resume_point(const rn::job_started& s);
  void run_next();
  void announce(std::size_t index);
  void launch(std::size_t index);
  std::optional<spawn_spec> spec_for(const docs::action_view& a, std::size_t index,
                                     std::string& error);
  void step_ended(clock::time_point now);
  void advance();
  void finish(update_status status, details d);
  void final_refused(const std::string& why);
  bool report(update_status status, details d);
  void save_record(int running, pid_t group = 0, std::uint64_t group_start = 0);
  void stop_process(step_process& p, clock::time_point now);
  void kill_leftover();

  // The loop.
  void on_connection_up();
  void poll_once();
  void check_processes(clock::time_point now);
  void log_stop();

  const agent_options& o_;
  const logger& log_;
  state_file state_;
  std::string boot_;
  std::optional<rn::job_runner> runner_;
  std::unique_ptr<connection> link_;
  iotjobs::decoder documents_;  // the running job's document: its views live until the next job
  std::optional<job> job_;
  std::vector<step_process> dying_;  // steps of jobs that ended without them, being stopped
  std::optional<clock::time_point> stop_by_;  // SIGTERM: the time to stop at the latest
  std::uint64_t jobs_ended_ = 0, steps_run_ = 0;
};

int job_agent::run() {
  rn::config c;
  c.thing_name = o_.thing;
  c.seed = static_cast<std::uint64_t>(clock::now().time_since_epoch().count()) ^
           (static_cast<std::uint64_t>(getpid()) << 32);
  c.max_report_size = max_report_size;
  auto r = rn::job_runner::create(c);
  if (!r) {
    log_.event("error", {{"what", "the thing name"}, {"error", iotjobs::message(r.error())}});
    return 1;
  }
  runner_.emplace(std::move(*r));
  if (const iotjobs::error e = documents_.reserve(iotjobs::max_payload_size);
      e != iotjobs::error::ok) {
    log_.event("error", {{"error", iotjobs::message(e)}});
    return 1;
  }
  kill_leftover();
  std::string error;
  if (!install_signals(error)) {
    log_.event("error", {{"error", error}});
    return 1;
  }
  std::vector<std::string> filters(runner_->subscriptions().begin(),
                                   runner_->subscriptions().end());
  connection_options co = o_.connection;
  co.seed = c.seed;
  connection_events events;
  events.up = [this] { on_connection_up(); };
  events.down = [this](const std::string& why, bool was_up, std::chrono::milliseconds retry_in) {
    log_.event(was_up ? "disconnected" : "connect_failed",
               {{"reason", why}, {"retry_ms", retry_in.count()}});
  };
  events.message = [this](std::string_view topic, std::string_view payload) {
    if (const iotjobs::error e = runner_->receive(topic, payload, to_instant(clock::now()));
        e != iotjobs::error::ok)
      log_.event("message_refused", {{"topic", topic}, {"error", iotjobs::message(e)}});
    flush();
  };
  events.refused = [this](const std::string& filter) {
    log_.event(
        "subscription_refused",
        {{"filter", filter}, {"hint", "the policy lacks iot:Subscribe on it: see iotjobs policy"}});
  };
  link_ = connection::create(co, std::move(filters), std::move(events), error);
  if (!link_) {
    log_.event("error", {{"error", error}});
    return 1;
  }
  log_.event("started", {{"thing", o_.thing},
                         {"broker", o_.connection.host + ":" + std::to_string(o_.connection.port)},
                         {"tls", o_.connection.tls ? "on" : "off"},
                         {"handlers", o_.handlers},
                         {"state_dir", o_.state_dir}});
  for (;;) {
    const clock::time_point now = clock::now();
    if (stop_signal != 0 && !stop_by_) {
      log_.event("stopping", {{"signal", strsignal(stop_signal)}});
      stop_by_ = now + o_.kill_grace + std::chrono::seconds(5);
      if (job_ && job_->step) stop_process(*job_->step, now);  // not reported: run again later
    }
    if (stop_by_) {
      // The report in flight is finished, and every process has ended; or time is up.
      const bool report_done = !runner_->next_deadline() || !link_->is_up();
      const bool processes_done = dying_.empty() && !(job_ && job_->step);
      if ((report_done && processes_done) || now >= *stop_by_) break;
    }
    poll_once();
  }
  // What still runs is killed by the destructors.
  link_->close();
  log_stop();
  return 0;
}

// The peak resident set of this program: /proc/self/status's VmHWM where there is one
// (getrusage's ru_maxrss is no good here: Linux carries it over exec from the process that
// forked the agent, a Python test harness's 14 MiB say), else ru_maxrss.
std::int64_t peak_rss_kib(const rusage& self) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::strtoll(line.c_str() + 6, nullptr, 10);
  }
  return self.ru_maxrss;
}

void job_agent::log_stop() {
  rusage self{};
  getrusage(RUSAGE_SELF, &self);
  const auto ms = [](const timeval& t) {
    return static_cast<std::int64_t>(t.tv_sec) * 1000 + t.tv_usec / 1000;
  };
  log_.event("stopped", {{"jobs", jobs_ended_},
                         {"steps", steps_run_},
                         {"cpu_user_ms", ms(self.ru_utime)},
                         {"cpu_system_ms", ms(self.ru_stime)},
                         {"max_rss_kib", peak_rss_kib(self)}});
}

void job_agent::on_connection_up() {
  log_.event("connected", {{"client_id", o_.connection.client_id}});
  runner_->connected(to_instant(clock::now()));
  flush();
}

// Whatever the runner has to say: its event first (a job_started may be left, before its claim
// goes out), then what it publishes.
void job_agent::flush() {
  while (const auto e = runner_->next_event())
    on_event(*e);
  while (const auto m = runner_->next_publish())
    link_->publish(m->topic, m->payload);
}

void job_agent::on_event(const rn::event& e) {
  if (const auto* s = std::get_if<rn::job_started>(&e)) return on_started(*s);
  if (const auto* d = std::get_if<rn::job_ended>(&e)) return on_ended(*d);
  if (const auto* a = std::get_if<rn::report_accepted>(&e)) {
    log_.event("report_applied", {{"job", a->job_id}, {"version", a->version_number.value_or(0)}});
    if (job_ && job_->announced) launch(job_->next);
    return;
  }
  if (std::holds_alternative<rn::nothing_pending>(e)) return log_.event("idle", {});
  const auto& r = std::get<rn::request_refused>(e);
  log_.event("request_refused",
             {{"job", r.job_id},
              {"code", r.code_text},
              {"message", r.message.value_or("")},
              {"error", r.unreadable == iotjobs::error::ok ? "" : iotjobs::message(r.unreadable)}});
  if (!job_ || r.job_id != job_->id) return;
  // The claim or the announcement of a step, refused for a reason retrying cannot mend: the
  // step is announced again once, then runs anyway (the state file knows it).
  if (job_->announced) {
    if (++job_->announce_refusals < 2) return announce(job_->next);
    return launch(job_->next);
  }
  if (job_->reported) final_refused(std::string(r.code_text));
}

void job_agent::on_started(const rn::job_started& s) {
  const std::string id(s.job_id);
  if (stop_by_) {  // stopping: not claimed now, found again after a restart
    (void)runner_->leave();
    return log_.event("job_left", {{"job", id}, {"reason", "stopping"}});
  }
  const auto doc = documents_.decode(docs::job_document, s.document.json());
  if (!doc) {  // a Device Client document that breaks its schema: never run
    job_.emplace();
    job_->id = id;
    details d;
    d.add("reason", "invalid job document: " + std::string(iotjobs::message(doc.error())));
    d.add("error", iotjobs::name(doc.error()));
    if (const std::string_view field = documents_.last_error_field(); !field.empty())
      d.add("member", field);
    log_.event("job_rejected", {{"job", id},
                                {"error", iotjobs::name(doc.error())},
                                {"member", documents_.last_error_field()}});
    return finish(update_status::rejected, std::move(d));
  }
  if (doc->device_client() == nullptr) {  // someone else's kind
    const std::string_view kind = docs::to_string(doc->kind);
    if (o_.foreign == foreign_jobs::leave) {
      (void)runner_->leave();
      log_.event("job_left", {{"job", id}, {"kind", kind}});
      return;
    }
    job_.emplace();
    job_->id = id;
    details d;
    d.add("reason", "not a job for this agent: a document of kind " + std::string(kind));
    log_.event("job_rejected", {{"job", id}, {"kind", kind}});
    return finish(update_status::rejected, std::move(d));
  }
  job_.emplace();
  job_->id = id;
  job_->execution_number = s.execution_number;
  job_->document = *doc->device_client();
  for (const docs::action_view& a : job_->document.steps)
    job_->plan.push_back(&a);
  if (job_->document.final_step) job_->plan.push_back(&*job_->document.final_step);
  job_->next = resume_point(s);
  log_.event(s.resumed ? "job_resumed" : "job_started",
             {{"job", id},
              {"execution", s.execution_number.value_or(0)},
              {"steps", job_->plan.size()},
              {"template", docs::to_string(job_->document.aws_template)},
              {"from_step", job_->next + 1}});
  if (!job_->reported) run_next();
}

// Where a job carries on: after the last step completed, as the service's statusDetails (the
// `step` this agent reported when it started one, for a job found IN_PROGRESS) and the state file
// say (also for a job still QUEUED: the agent may have stopped before its claim went out). The
// step that ran when the agent or the device stopped is run again, with IOTJOBS_STEP_INTERRUPTED
// telling its handler why; a step the device rebooted under twice is not run a third time: the
// job fails.
std::size_t job_agent::resume_point(const rn::job_started& s) {
  std::size_t completed = 0;
  std::optional<std::size_t> service_running;
  if (s.resumed && s.status_details) {
    if (const auto step = s.status_details->find("step"))
      service_running = parse_step(*step, job_->plan.size());
  }
  if (service_running) completed = *service_running - 1;
  const std::optional<job_record> record = state_.load();
  const bool ours = record && record->job_id == job_->id &&
                    (!s.execution_number || record->execution_number == 0 ||
                     record->execution_number == *s.execution_number);
  if (ours) completed = std::max(completed, static_cast<std::size_t>(record->completed));
  completed = std::min(completed, job_->plan.size());
  if (ours && record->running == static_cast<int>(completed) + 1) {
    if (record->boot == boot_) {
      job_->resumed_from = interruption::restart;  // what it left running was killed at start
      job_->reboots = record->reboots;
    } else {
      job_->resumed_from = interruption::reboot;
      job_->reboots = record->reboots + 1;
      if (record->reboots >= 1) {
        details d;
        d.add("step", step_text(completed, job_->plan.size()));
        d.add("stepName", job_->plan[completed]->name);
        d.add("reason", "the device rebooted during this step twice: it is not run a third time");
        log_.event("step_failed", {{"job", job_->id},
                                   {"step", step_text(completed, job_->plan.size())},
                                   {"reason", "rebooted twice"}});
        finish(update_status::failed, std::move(d));
      }
    }
  } else if (service_running && *service_running == completed + 1) {
    job_->resumed_from = interruption::unknown;
  }
  return completed;
}

void job_agent::run_next() {
  job& j = *job_;
  if (j.next < j.plan.size()) return announce(j.next);
  // Every step done: SUCCEEDED.
  details d;
  if (!j.plan.empty()) {
    d.add("step", step_text(j.plan.size() - 1, j.plan.size()));
    d.add("stepName", j.plan.back()->name);
  }
  if (j.document.include_std_out && j.stdout_tail.bytes() > 0)
    d.add("stdout", j.stdout_tail.text(), iotjobs::keep::end);
  finish(update_status::succeeded, std::move(d));
}

// A step is announced first: it starts once the service has applied the report that says so
// (and, for a job that was QUEUED, the claim before it). So a job canceled before it was claimed
// runs nothing, and the statusDetails the service keeps name the step that may be running.
void job_agent::announce(std::size_t index) {
  if (stop_by_) return;  // stopping: the step runs after a restart
  job& j = *job_;
  details progress;
  progress.add("step", step_text(index, j.plan.size()));
  progress.add("stepName", j.plan[index]->name);
  j.announced = true;
  if (!report(update_status::in_progress, std::move(progress))) launch(index);
}

void job_agent::launch(std::size_t index) {
  job& j = *job_;
  j.announced = false;
  if (stop_by_) return;  // stopping: the step runs after a restart
  const docs::action_view& a = *j.plan[index];
  const std::string step = step_text(index, j.plan.size());
  std::string error;
  std::optional<spawn_spec> spec = spec_for(a, index, error);
  // Recorded before the process starts (a reboot it asks for may come before anything after),
  // and again with its process group once it has.
  save_record(static_cast<int>(index) + 1);
  std::optional<child_process> child;
  if (spec) child = child_process::spawn(*spec, tail_capacity, error);
  ++steps_run_;
  if (!child) {
    log_.event("step_failed", {{"job", j.id}, {"step", step}, {"name", a.name}, {"reason", error}});
    if (a.ignore_step_failure) return advance();
    details d;
    d.add("step", step);
    d.add("stepName", a.name);
    d.add("reason", error);
    return finish(update_status::failed, std::move(d));
  }
  const clock::time_point now = clock::now();
  log_.event("step_started", {{"job", j.id},
                              {"step", step},
                              {"name", a.name},
                              {"program", spec->argv[0]},
                              {"pid", child->pid()},
                              {"interrupted", interruption_name(j.resumed_from)}});
  save_record(static_cast<int>(index) + 1, child->pid(), start_time(child->pid()).value_or(0));
  j.step.emplace(std::move(*child), now, now + o_.step_timeout);
}

// How a step's action runs. runHandler: the handler from the document's `path` (a directory),
// "default" (the --handlers directory) or no path (the --handlers directory if it holds the
// handler, else PATH), called as the Device Client calls it: argv[1] is runAsUser ("" for none),
// then the args; the handler switches users itself (AWS's sample handlers use sudo). runCommand:
// the command's arguments, run as runAsUser when the agent may switch to that user (it runs as
// root, or as that user).
std::optional<spawn_spec> job_agent::spec_for(const docs::action_view& a, std::size_t index,
                                              std::string& error) {
  spawn_spec spec;
  if (a.type == docs::action_type::run_handler) {
    if (a.handler.find('/') != std::string_view::npos || a.handler == "." || a.handler == "..") {
      error = "handler " + std::string(a.handler) + ": a file name is expected, not a path";
      return std::nullopt;
    }
    std::string directory;
    if (a.location() == docs::handler_location::directory) directory = std::string(a.path);
    if (a.location() == docs::handler_location::handler_directory) {
      if (o_.handlers.empty()) {
        error = "handler " + std::string(a.handler) + ": no --handlers directory";
        return std::nullopt;
      }
      directory = o_.handlers;
    }
    struct stat st {};
    const std::string in_handlers = o_.handlers + "/" + std::string(a.handler);
    if (a.location() == docs::handler_location::search_path && !o_.handlers.empty() &&
        stat(in_handlers.c_str(), &st) == 0)
      directory = o_.handlers;
    std::string program =
        directory.empty() ? std::string(a.handler) : directory + "/" + std::string(a.handler);
    if (directory == o_.handlers && !directory.empty()) {
      // A handler the agent runs from its own directory must be the owner's alone to change.
      if (stat(program.c_str(), &st) != 0) {
        error = "handler " + program + ": " + std::strerror(errno);
        return std::nullopt;
      }
      if (!S_ISREG(st.st_mode) || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0 ||
          (st.st_uid != 0 && st.st_uid != geteuid())) {
        error = "handler " + program +
                ": must be a regular file of root's or the agent's user, writable by its owner "
                "alone";
        return std::nullopt;
      }
    }
    spec.argv.push_back(std::move(program));
    spec.argv.emplace_back(a.run_as_user);
    for (std::string_view arg : a.args)
      spec.argv.emplace_back(arg);
  } else {
    for (std::string_view arg : a.command)
      spec.argv.emplace_back(arg);
    if (!a.run_as_user.empty()) {
      const std::string user(a.run_as_user);
      const std::string me = current_user();
      if (geteuid() == 0) {
        auto u = find_user(user, error);
        if (!u) return std::nullopt;
        spec.user = std::move(*u);
      } else if (user != me) {
        error = "runAsUser " + user + ": the agent runs as " + me + ", not root, and cannot switch";
        return std::nullopt;
      }
    }
  }
  const job& j = *job_;
  spec.environment = {"IOTJOBS_THING_NAME=" + o_.thing, "IOTJOBS_JOB_ID=" + j.id,
                      "IOTJOBS_STEP=" + step_text(index, j.plan.size()),
                      "IOTJOBS_STEP_NAME=" + std::string(a.name)};
  if (j.execution_number)
    spec.environment.push_back("IOTJOBS_EXECUTION_NUMBER=" + std::to_string(*j.execution_number));
  if (j.resumed_from != interruption::none && index == j.next)
    spec.environment.push_back(std::string("IOTJOBS_STEP_INTERRUPTED=") +
                               interruption_name(j.resumed_from));
  return spec;
}

// The running step's process has ended: its outcome decides what comes next. A step stopped by
// SIGTERM (the agent stops) is not judged: it runs again after a restart. What the process left
// in its group still gets its SIGKILL, at the end of the grace.
void job_agent::step_ended(clock::time_point now) {
  job& j = *job_;
  step_process p = std::move(*j.step);
  j.step.reset();
  const docs::action_view& a = *j.plan[j.next];
  const std::string step = step_text(j.next, j.plan.size());
  const exit_status status = *p.child.status();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - p.started);
  j.stdout_tail.append(p.child.out().text());
  const std::string stderr_tail = p.child.err().text();
  std::string reason;
  if (p.timed_out) {
    reason = "timed out after " + std::to_string(o_.step_timeout.count()) + " s (" +
             status.describe() + ")";
  } else if (!status.success()) {
    reason = status.describe();
  } else if (a.allow_std_err &&
             p.child.err().lines() > static_cast<std::uint64_t>(*a.allow_std_err)) {
    reason = "wrote " + std::to_string(p.child.err().lines()) +
             " lines to stderr, more than allowStdErr " + std::to_string(*a.allow_std_err);
  }
  if (!stop_by_) {
    log_.event(reason.empty() ? "step_succeeded" : "step_failed",
               {{"job", j.id},
                {"step", step},
                {"name", a.name},
                {"status", status.describe()},
                {"reason", reason},
                {"ms", ms.count()},
                {"stdout_bytes", p.child.out().bytes()},
                {"stderr_bytes", p.child.err().bytes()}});
  }
  if (p.kill_at && !p.killed && group_alive(p.child.pid())) dying_.push_back(std::move(p));
  if (stop_by_) return save_record(static_cast<int>(j.next) + 1);  // its process has ended
  if (reason.empty() || a.ignore_step_failure) return advance();
  save_record(static_cast<int>(j.next) + 1);
  details d;
  d.add("step", step);
  d.add("stepName", a.name);
  d.add("reason", reason);
  if (!stderr_tail.empty()) d.add("stderr", stderr_tail, iotjobs::keep::end);
  if (j.document.include_std_out && j.stdout_tail.bytes() > 0)
    d.add("stdout", j.stdout_tail.text(), iotjobs::keep::end);
  finish(update_status::failed, std::move(d));
}

// The step `next` is done (or failed with ignoreStepFailure): on to the one after it.
void job_agent::advance() {
  job& j = *job_;
  j.resumed_from = interruption::none;
  j.reboots = 0;
  ++j.next;
  save_record(0);
  run_next();
}

void job_agent::finish(update_status status, details d) {
  job_->reported = true;
  job_->final_status = status;
  if (!report(status, std::move(d))) final_refused("the runner refused it");
}

// The final report, refused for a reason retrying cannot mend: sent once more with its reason
// alone (what the service refused may be in the rest); refused again, the job is given up: left
// IN_PROGRESS until its timeout or an operator ends it (the jobs behind it wait for that).
void job_agent::final_refused(const std::string& why) {
  if (++job_->final_refusals == 1) {
    details d;
    d.add("reason", "the agent's report was refused (" + why + ")");
    if (report(job_->final_status, std::move(d))) return;
  }
  log_.event("job_abandoned", {{"job", job_->id}, {"reason", why}});
  (void)runner_->leave();
  job_.reset();
  if (const std::string e = state_.clear(); !e.empty())
    log_.event("state_file_error", {{"error", e}});
}

bool job_agent::report(update_status status, details d) {
  rn::job_report r;
  r.status = status;
  r.status_details = d.view();
  const iotjobs::error e = runner_->report(r, to_instant(clock::now()));
  if (e != iotjobs::error::ok) {
    log_.event("report_refused", {{"job", job_->id}, {"error", iotjobs::message(e)}});
  } else {
    log_.event("report", {{"job", job_->id}, {"status", iotjobs::to_wire(status)}});
  }
  flush();
  return e == iotjobs::error::ok;
}

void job_agent::save_record(int running, pid_t group, std::uint64_t group_start) {
  const job& j = *job_;
  job_record r;
  r.job_id = j.id;
  r.execution_number = j.execution_number.value_or(0);
  r.completed = static_cast<int>(j.next);
  r.running = running;
  r.boot = boot_;
  r.process_group = group;
  r.group_start = group_start;
  r.reboots = running != 0 ? j.reboots : 0;
  if (const std::string e = state_.save(r); !e.empty())
    log_.event("state_file_error", {{"error", e}});
}

// What an agent that was killed left running, in this boot: its step's process group, killed
// before anything else starts (the job decides later whether the step runs again).
void job_agent::kill_leftover() {
  const std::optional<job_record> r = state_.load();
  if (!r || r->process_group <= 0 || r->boot != boot_ ||
      !same_group(r->process_group, r->group_start))
    return;
  kill(-r->process_group, SIGKILL);
  for (int i = 0; i < 100 && group_alive(r->process_group); ++i)  // at most 1 s (zombies stay)
    usleep(10000);
  log_.event("step_killed", {{"job", r->job_id},
                             {"process_group", r->process_group},
                             {"reason", "left running by the agent before"}});
}

void job_agent::on_ended(const rn::job_ended& e) {
  ++jobs_ended_;
  const char* how = e.reported ? "reported" : "without the agent";
  log_.event("job_ended", {{"job", e.job_id},
                           {"status", e.status == iotjobs::job_execution_status::unknown
                                          ? "unknown"
                                          : iotjobs::to_wire(e.status)},
                           {"code", e.code ? iotjobs::to_wire(*e.code) : ""},
                           {"how", how}});
  if (job_ && job_->step) {  // canceled, timed out or deleted while a step ran: stop it
    log_.event("step_canceled", {{"job", job_->id}, {"pid", job_->step->child.pid()}});
    stop_process(*job_->step, clock::now());
    dying_.push_back(std::move(*job_->step));
  }
  job_.reset();
  if (const std::string err = state_.clear(); !err.empty())
    log_.event("state_file_error", {{"error", err}});
}

// SIGTERM to the step's process group, and SIGKILL after the grace.
void job_agent::stop_process(step_process& p, clock::time_point now) {
  if (p.kill_at) return;
  p.child.signal_group(SIGTERM);
  p.kill_at = now + o_.kill_grace;
}

// Steps that have ended, time limits that have passed, stops that need SIGKILL.
void job_agent::check_processes(clock::time_point now) {
  for (auto it = dying_.begin(); it != dying_.end();) {
    const bool reaped = it->child.reap();
    if (it->kill_at && !it->killed && now >= *it->kill_at) {
      it->child.signal_group(SIGKILL);
      it->killed = true;
    }
    if (reaped && (it->killed || !group_alive(it->child.pid()))) {
      it = dying_.erase(it);
      continue;
    }
    ++it;
  }
  if (!job_ || !job_->step) return;
  step_process& p = *job_->step;
  if (p.child.reap()) return step_ended(now);
  if (!p.kill_at && now >= p.deadline) {
    log_.event("step_timeout", {{"job", job_->id}, {"pid", p.child.pid()}});
    p.timed_out = true;
    stop_process(p, now);
  } else if (p.kill_at && !p.killed && now >= *p.kill_at) {
    p.child.signal_group(SIGKILL);
    p.killed = true;  // from here SIGCHLD wakes the loop
  }
}

void job_agent::poll_once() {
  std::vector<pollfd> fds;
  fds.push_back({signal_pipe[0], POLLIN, 0});
  const int sock = link_->socket();
  if (sock >= 0) {
    fds.push_back({sock, static_cast<short>(POLLIN | (link_->wants_write() ? POLLOUT : 0)), 0});
  }
  const std::size_t pipes_from = fds.size();
  const auto add_pipes = [&](const child_process& c) {
    for (const int fd : {c.stdout_fd(), c.stderr_fd()}) {
      if (fd >= 0) fds.push_back({fd, POLLIN, 0});
    }
  };
  if (job_ && job_->step) add_pipes(job_->step->child);
  for (const step_process& d : dying_)
    add_pipes(d.child);

  clock::time_point now = clock::now();
  clock::time_point wake = link_->next_service(now);
  if (const auto at = runner_->next_deadline())
    wake = std::min(wake, clock::time_point(
                              std::chrono::duration_cast<clock::duration>(at->time_since_epoch())));
  const auto earlier = [&](const step_process& p) {
    if (!p.kill_at) wake = std::min(wake, p.deadline);
    if (p.kill_at && !p.killed) wake = std::min(wake, *p.kill_at);
  };
  if (job_ && job_->step) earlier(*job_->step);
  for (const step_process& d : dying_)
    earlier(d);
  if (stop_by_) wake = std::min(wake, *stop_by_);
  const auto timeout =
      std::chrono::duration_cast<std::chrono::milliseconds>(wake - now).count() + 1;
  const int n =
      poll(fds.data(), fds.size(), static_cast<int>(std::clamp<std::int64_t>(timeout, 0, 1000)));
  now = clock::now();
  if (n < 0 && errno != EINTR) {
    log_.event("error", {{"error", std::string("poll: ") + std::strerror(errno)}});
    return;
  }
  if (n > 0) {
    if (fds[0].revents != 0) drain_signal_pipe();
    for (std::size_t i = pipes_from; i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      if (job_ && job_->step) job_->step->child.read_from(fds[i].fd);
      for (step_process& d : dying_)
        d.child.read_from(fds[i].fd);
    }
    if (sock >= 0 && fds[1].revents != 0) {
      const short ev = fds[1].revents;
      link_->handle((ev & POLLIN) != 0, (ev & POLLOUT) != 0, (ev & (POLLHUP | POLLERR)) != 0, now);
    }
  }
  check_processes(now);
  link_->service(now);
  if (const auto at = runner_->next_deadline(); at && to_instant(now) >= *at) {
    runner_->tick(to_instant(now));
    flush();
  }
}

}  // namespace

int run(const agent_options& options) {
  logger log(options.format);
  job_agent a(options, log);
  return a.run();
}

}  // namespace agent
