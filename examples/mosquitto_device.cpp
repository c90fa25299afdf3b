// examples/mosquitto_device.cpp: a device on libmosquitto and the job runner. It reports each job
// IN_PROGRESS, then SUCCEEDED. Usage: THING [HOST PORT [JOBS]] (exits after JOBS jobs).
#include <mosquitto.h>
#include <iotjobs/iotjobs.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace rn = iotjobs::runner;
using iotjobs::update_status;

rn::instant now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now());
}

struct device {
  rn::job_runner runner;
  mosquitto* mqtt = nullptr;
  int ended = 0;

  void drain() {  // after every input: the application's event, then the publish
    if (auto e = runner.next_event()) {  // (report() fails only without a job: not here)
      if (auto* s = std::get_if<rn::job_started>(&*e)) {
        std::printf("runs %.*s\n", int(s->job_id.size()), s->job_id.data());
        (void)runner.report({update_status::in_progress, {}, {}}, now());
      } else if (std::holds_alternative<rn::report_accepted>(*e)) {
        (void)runner.report({update_status::succeeded, {}, {}}, now());
      } else if (std::holds_alternative<rn::job_ended>(*e)) {
        ++ended;
      } else if (auto* r = std::get_if<rn::request_refused>(&*e)) {
        std::fprintf(stderr, "refused: %.*s\n", int(r->code_text.size()), r->code_text.data());
      }
    }
    while (auto m = runner.next_publish())
      mosquitto_publish(mqtt, nullptr, m->topic.data(), int(m->payload.size()), m->payload.data(),
                        1, false);
  }
};

int main(int argc, char** argv) {
  rn::config config;
  config.thing_name = argc > 1 ? argv[1] : "";
  config.seed = std::uint64_t(now().time_since_epoch().count());
  auto runner = rn::job_runner::create(config);
  if (!runner) return std::fprintf(stderr, "%s\n", iotjobs::message(runner.error()).data()), 2;
  device d{std::move(*runner)};
  mosquitto_lib_init();
  d.mqtt = mosquitto_new(argv[1], true, &d);
  mosquitto_connect_callback_set(d.mqtt, [](mosquitto* m, void* self, int rc) {
    auto& d = *static_cast<device*>(self);
    for (std::string_view filter : d.runner.subscriptions())  // NUL-terminated
      if (rc == 0) mosquitto_subscribe(m, nullptr, filter.data(), 1);
    if (rc == 0) d.runner.connected(now()), d.drain();  // after every (re)connect
  });
  mosquitto_message_callback_set(d.mqtt, [](mosquitto*, void* self, const mosquitto_message* m) {
    auto& d = *static_cast<device*>(self);
    (void)d.runner.receive(m->topic, {static_cast<const char*>(m->payload), size_t(m->payloadlen)},
                           now());
    d.drain();
  });
  const int jobs = argc > 4 ? std::atoi(argv[4]) : -1;
  mosquitto_connect(d.mqtt, argc > 2 ? argv[2] : "localhost", argc > 3 ? std::atoi(argv[3]) : 1883,
                    30);
  while (d.ended != jobs) {
    if (mosquitto_loop(d.mqtt, 100, 1) != MOSQ_ERR_SUCCESS) {  // no broker: again in a second
      std::this_thread::sleep_for(std::chrono::seconds(1));
      mosquitto_reconnect(d.mqtt);
    }
    if (auto at = d.runner.next_deadline(); at && now() >= *at) d.runner.tick(now()), d.drain();
  }
  mosquitto_destroy(d.mqtt);
  mosquitto_lib_cleanup();
}
