// The Jobs emulator (tools/emulator) under any sequence of requests: it never crashes, everything
// it publishes decodes on the device side as what its topic says it is, a version number never
// goes down, and a terminal execution stays as it is.
#include <iotjobs/messages.hpp>

#include "../tools/emulator/emulator.hpp"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "fuzz.hpp"
#include "targets.hpp"

namespace iotjobs_fuzz {
namespace {

namespace mqtt = iotjobs::mqtt;

// Request topics, most of them for the queued jobs; the last few in the namespace but not APIs.
const char* const topics[] = {
    "$aws/things/t1/jobs/get",         "$aws/things/t1/jobs/start-next",
    "$aws/things/t1/jobs/j1/get",      "$aws/things/t1/jobs/j2/get",
    "$aws/things/t1/jobs/$next/get",   "$aws/things/t1/jobs/j1/update",
    "$aws/things/t1/jobs/j2/update",   "$aws/things/t1/jobs/nope/update",
    "$aws/things/t2/jobs/start-next",  "$aws/things/t2/jobs/j3/update",
    "$aws/things/t1/jobs/j1/update/x", "$aws/things/t1/jobs/j1/get/accepted",
    "$aws/things/t1/jobs/notify-next", "$aws/things/t1/jobs",
};

bool decodes(iotjobs::decoder& dec, std::string_view topic, std::string_view payload) {
  if (!mqtt::parse_topic(topic)) {  // InvalidTopic, on `<the bad topic>/rejected`
    return topic.size() > 9 && topic.substr(topic.size() - 9) == "/rejected" &&
           dec.decode(iotjobs::mqtt::rejected, payload);
  }
  const auto m = mqtt::decode(dec, topic, payload);
  return m && !mqtt::is_request(m->topic.kind);  // the emulator publishes no request
}

}  // namespace

void emulator(const std::uint8_t* data, std::size_t size) {
  std::int64_t now = 1000;
  std::vector<std::pair<std::string, std::string>> sent;
  iotjobs_emulator::jobs_emulator emu(
      [&](std::string_view t, std::string_view p) { sent.emplace_back(t, p); },
      [&] { return now; });
  IOTJOBS_FUZZ_CHECK(emu.add_job("t1", {"j1", R"({"op":"a"})", 1, {}}) == iotjobs::error::ok);
  IOTJOBS_FUZZ_CHECK(emu.add_job("t1", {"j2", "{}", {}, {}}) == iotjobs::error::ok);
  IOTJOBS_FUZZ_CHECK(emu.add_job("t2", {"j3", "{\"n\":[1,2]}", 10, {}}) == iotjobs::error::ok);
  iotjobs::decoder dec;
  std::map<std::string, std::pair<std::int64_t, iotjobs::job_execution_status>> last;
  reader in(data, size);
  for (int messages = 0; messages < 64 && !in.done(); ++messages) {
    const std::uint8_t how = in.byte();
    const std::string topic = how & 0x80
                                  ? in.text("abcdefghijklmnopqrstuvwxyz0123456789/$+#-_:.")
                                  : std::string(topics[how % (sizeof topics / sizeof topics[0])]);
    const std::string payload = in.text("");
    emu.handle(topic, against_guard_page(payload));
    if (how & 0x40) {
      now += 61;
      emu.tick();
    }
    for (const auto& [t, p] : sent)
      IOTJOBS_FUZZ_CHECK(decodes(dec, t, p));
    sent.clear();
    const std::pair<const char*, const char*> jobs[] = {{"t1", "j1"}, {"t1", "j2"}, {"t2", "j3"}};
    for (const auto& [thing, job] : jobs) {
      const iotjobs_emulator::execution* x = emu.find(thing, job);
      IOTJOBS_FUZZ_CHECK(x != nullptr);
      auto& [version, status] = last[std::string(thing) + "/" + job];
      IOTJOBS_FUZZ_CHECK(x->version_number >= version);
      IOTJOBS_FUZZ_CHECK(!iotjobs::is_terminal(status) ||
                         (x->status == status && x->version_number == version));
      version = x->version_number;
      status = x->status;
    }
  }
}

}  // namespace iotjobs_fuzz
