// The agent's processes (tools/agent/process.hpp): the output tails, and child processes started,
// read, judged and stopped as the agent does it.
#include "../../tools/agent/process.hpp"

#include <doctest/doctest.h>

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

namespace {

// Reads the child's pipes until both are closed and it has ended.
void run_to_end(agent::child_process& c) {
  while (!c.reap() || c.stdout_fd() >= 0 || c.stderr_fd() >= 0) {
    pollfd fds[2] = {{c.stdout_fd(), POLLIN, 0}, {c.stderr_fd(), POLLIN, 0}};
    poll(fds, 2, 50);
    for (const pollfd& p : fds) {
      if (p.fd >= 0 && p.revents != 0) c.read_from(p.fd);
    }
  }
}

agent::child_process start(std::vector<std::string> argv, std::vector<std::string> env = {}) {
  std::string error;
  auto c = agent::child_process::spawn({std::move(argv), std::nullopt, std::move(env)}, 16, error);
  REQUIRE_MESSAGE(c, error);
  return std::move(*c);
}

}  // namespace

TEST_CASE("output_tail keeps the last bytes, in order, however they come") {
  agent::output_tail t(8);
  CHECK(t.text().empty());
  CHECK(t.lines() == 0);
  t.append("abc");
  CHECK(t.text() == "abc");
  CHECK(t.lines() == 1);  // a last line without its newline counts
  t.append("de\nfg");     // fills it exactly
  CHECK(t.text() == "abcde\nfg");
  t.append("hij");  // wraps
  CHECK(t.text() == "de\nfghij");
  for (char c = 'k'; c <= 'z'; ++c)
    t.append(std::string(1, c));
  CHECK(t.text() == "stuvwxyz");
  t.append("0123456789\n");  // more than it holds at once
  CHECK(t.text() == "3456789\n");
  CHECK(t.bytes() == 3 + 5 + 3 + 16 + 11);
  CHECK(t.lines() == 2);
  t.append("x");
  CHECK(t.lines() == 3);
  agent::output_tail partly(8);
  partly.append("12345");
  partly.append("6789A");  // fills and wraps in one append
  CHECK(partly.text() == "3456789A");
}

TEST_CASE("a child's output, exit status, environment and failures") {
  auto c = start({"sh", "-c", "echo out; echo err >&2; echo \"$IOTJOBS_X\"; exit 3"},
                 {"IOTJOBS_X=from the agent"});
  run_to_end(c);
  CHECK(c.status()->code == 3);
  CHECK_FALSE(c.status()->signaled);
  CHECK(c.status()->describe() == "exited with status 3");
  CHECK(c.out().text() == "\nfrom the agent\n");  // the last 16 bytes: "out" dropped
  CHECK(c.out().bytes() == 4 + 15);
  CHECK(c.err().text() == "err\n");
  CHECK(c.err().lines() == 1);

  std::string error;
  CHECK_FALSE(agent::child_process::spawn({{"/nonexistent/handler.sh"}, {}, {}}, 16, error));
  CHECK(error == "cannot run /nonexistent/handler.sh: No such file or directory");
  CHECK_FALSE(agent::child_process::spawn({{"no-such-program-iotjobs"}, {}, {}}, 16, error));
  CHECK(error == "cannot run no-such-program-iotjobs: No such file or directory");

  // Standard input is /dev/null: a program that reads it ends at once.
  auto cat = start({"cat"});
  run_to_end(cat);
  CHECK(cat.status()->success());
}

// Whether process `pid` has ended: gone, or a zombie that nobody reaps (where PID 1 does not).
bool ended(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(stat, text)) return true;
  const std::size_t paren = text.rfind(')');
  return paren != std::string::npos && text.substr(paren + 2, 1) == "Z";
}

TEST_CASE("the whole process group is stopped; a killed one is a failure") {
  // The shell starts a sleep of its own in the group, says its pid, and waits for it.
  std::string error;
  auto c =
      agent::child_process::spawn({{"sh", "-c", "sleep 30 & echo $!; wait"}, {}, {}}, 64, error);
  REQUIRE(c);
  while (c->out().lines() == 0) {
    pollfd p{c->stdout_fd(), POLLIN, 0};
    poll(&p, 1, 50);
    c->read_from(c->stdout_fd());
  }
  const pid_t sleeper = std::stoi(c->out().text());
  CHECK(agent::group_alive(c->pid()));
  CHECK_FALSE(ended(sleeper));
  c->signal_group(SIGTERM);
  run_to_end(*c);
  CHECK(c->status()->signaled);
  CHECK(c->status()->code == SIGTERM);
  CHECK_FALSE(c->status()->success());
  CHECK(c->status()->describe() == "killed by signal 15 (Terminated)");
  for (int i = 0; i < 50 && !ended(sleeper); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(ended(sleeper));  // the sleep got it too
}

TEST_CASE("a child destroyed before it ends is killed and reaped") {
  pid_t pid = 0;
  {
    auto c = start({"sleep", "30"});
    pid = c.pid();
  }
  CHECK(kill(pid, 0) != 0);  // reaped: no such process
}

TEST_CASE("users: found with their groups, or an error that names them") {
  std::string error;
  const auto root = agent::find_user("root", error);
  REQUIRE(root);
  CHECK(root->uid == 0);
  CHECK(root->home == "/root");
  CHECK_FALSE(agent::find_user("no-such-user-iotjobs", error));
  CHECK(error == "no user no-such-user-iotjobs");
}
