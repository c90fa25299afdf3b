// Proves the zero-allocation claims: every encoder, and every decoder once it has seen a payload
// of the size at hand (or after reserve()), allocates nothing. Counts every global operator new
// and every malloc/calloc/realloc of the process (simdjson's shared library included), with
// counting_allocator.cpp.
#include "iotjobs/iotjobs.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "counting_allocator.hpp"
#include "support.hpp"

namespace {

template <class Fn>
long count(Fn&& fn) {
  const long before = iotjobs_allocation_count();
  fn();
  return iotjobs_allocation_count() - before;
}

}  // namespace

using namespace iotjobs;

TEST_CASE("the counter sees allocations") {
  // volatile: a compiler may elide an allocation whose pointer does not escape.
  CHECK(count([] {
          int* volatile p = new int(1);
          delete p;
        }) == 1);
  CHECK(count([] {
          void* volatile p = std::malloc(16);
          std::free(p);
        }) == 1);
  CHECK(count([] { CHECK(decoder().reserve(1024) == error::ok); }) > 0);
}

TEST_CASE("every encoder and topic call allocates nothing") {
  const status_detail details[] = {{"step", "download"}, {"note", "caf\xC3\xA9 \"q\""}};
  get_pending_job_executions_request get;
  get.thing_name = "thing";
  get.client_token = "c1";
  start_next_pending_job_execution_request next;
  next.thing_name = "thing";
  next.status_details = details;
  next.step_timeout_in_minutes = 30;
  describe_job_execution_request describe;
  describe.thing_name = "thing";
  describe.job_id = "$next";
  describe.include_job_document = false;
  update_job_execution_request update;
  update.thing_name = "thing";
  update.job_id = "job-1";
  update.status = update_status::succeeded;
  update.status_details = details;
  update.expected_version = 3;
  update.client_token = "tok";

  char topic[mqtt::max_topic_size];
  char payload[512];
  char small[8];
  const auto all_forms = [&](const auto& req) {
    CHECK(mqtt::encode_to_n(topic, payload, req));
    CHECK(mqtt::encode_to_n(topic, small, req).error() == error::buffer_too_small);
    CHECK(mqtt::encoded_size(req));
    CHECK(mqtt::encode_to(static_cast<char*>(payload), req));
  };
  CHECK(count([&] {
          all_forms(get);
          all_forms(next);
          all_forms(describe);
          all_forms(update);
        }) == 0);
  CHECK(count([&] {
          CHECK(mqtt::build_topic(mqtt::topic_kind::update_accepted, "thing", "+", topic));
          CHECK(mqtt::build_response_filter(mqtt::topic_kind::get_pending, "thing", "", topic));
          CHECK(mqtt::parse_topic("$aws/things/thing/jobs/job-1/update/accepted"));
          CHECK(is_valid_status_details_value("caf\xC3\xA9"));
        }) == 0);
}

TEST_CASE("every decoder allocates nothing once it has seen a payload of that size") {
  const auto files = test::golden_files();
  REQUIRE(!files.empty());
  for (const auto& f : files) {
    CAPTURE(f.name);
    decoder dec;
    REQUIRE(test::decode_as(dec, f, f.payload) == error::ok);  // may allocate
    CHECK(count([&] { CHECK(test::decode_as(dec, f, f.payload) == error::ok); }) == 0);
    // A smaller payload, and a failing one, allocate nothing either.
    CHECK(count([&] { CHECK(dec.decode(iotjobs::mqtt::notify_next, R"({"timestamp":1})")); }) == 0);
    CHECK(count([&] {
            CHECK_FALSE(dec.decode(iotjobs::mqtt::notify_next, R"({"timestamp":[}")"));
          }) == 0);
  }
}

TEST_CASE("HTTPS responses and errors allocate nothing once the decoder has seen their size") {
  const std::string describe =
      test::read_file(std::filesystem::path(IOTJOBS_TEST_DATA) / "https" / "describe-full.json");
  const std::string transition =
      R"({"message":"bad","executionState":{"status":"SUCCEEDED","versionNumber":4}})";
  decoder dec;
  REQUIRE(dec.decode(iotjobs::https::describe_response, {200, "", describe}));
  CHECK(count([&] {
          const auto ok = dec.decode(iotjobs::https::describe_response, {200, "", describe});
          REQUIRE(ok);
          CHECK(ok->value->execution->job_document);
          const auto refused = dec.decode(iotjobs::https::update_response,
                                          {409, "InvalidStateTransitionException", transition});
          REQUIRE(refused);
          CHECK(refused->error->execution_state);
          CHECK(dec.decode(iotjobs::https::describe_response, {503, "", ""})->error);
          const unsigned char random[16] = {};
          char uuid[36];
          CHECK(https::format_uuid_v4(random, uuid).size() == 36);
        }) == 0);
}

TEST_CASE("every HTTPS encoder allocates nothing") {
  describe_job_execution_request describe;
  describe.thing_name = "my:thing";
  describe.job_id = "$next";
  describe.execution_number = 3;
  update_job_execution_request update;
  update.thing_name = "t";
  update.job_id = "j";
  const command_parameter parameters[] = {{"d", command_parameter_value::float64(1.5)},
                                          {"b", command_parameter_value::binary("bytes")}};
  start_command_execution_request command;
  command.target_arn = "arn:aws:iot:us-east-1:123456789012:thing/t1";
  command.command_arn = "arn:aws:iot:us-east-1:123456789012:command/c1";
  command.parameters = parameters;
  char buf[512];
  CHECK(count([&] {
          CHECK(https::encode_to_n(buf, describe));
          CHECK(https::encode_to_n(buf, update));
          CHECK(https::encode_to_n(buf, command));
          CHECK(https::encoded_size(command));
        }) == 0);
}

TEST_CASE("after reserve(max_payload_size) no decode allocates, whatever its size") {
  decoder dec;
  REQUIRE(dec.reserve(max_payload_size) == error::ok);
  std::string big = R"({"timestamp":1,"jobs":{"QUEUED":[)";
  while (big.size() < max_payload_size - 64)
    big += R"({"jobId":"j"},)";
  big += R"({"jobId":"last"}]}})";
  REQUIRE(big.size() <= max_payload_size);
  std::string details = R"({"execution":{"jobId":"j","status":"QUEUED","statusDetails":{)";
  while (details.size() < max_payload_size - 64)
    details += R"("":"",)";
  details += R"("k":"v"}}})";
  REQUIRE(details.size() <= max_payload_size);

  const auto files = test::golden_files();
  CHECK(count([&] {
          const auto r = dec.decode(iotjobs::mqtt::notify, big);
          REQUIRE(r);
          CHECK(r->jobs[0].jobs.size() > 9000);
          const auto d = dec.decode(iotjobs::mqtt::notify_next, details);
          REQUIRE(d);
          CHECK(d->execution->status_details->size() > 20000);
          for (const auto& f : files)
            CHECK(test::decode_as(dec, f, f.payload) == error::ok);
        }) == 0);
}

TEST_CASE(
    "job documents allocate nothing once seen, and the densest ones fit the decoder's arena") {
  decoder dec;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::filesystem::path(IOTJOBS_TEST_DATA) / "documents")) {
    if (entry.path().extension() != ".json") continue;
    CAPTURE(entry.path().filename().string());
    const std::string text = test::read_file(entry.path());
    REQUIRE(dec.decode(documents::job_document, text));  // may allocate
    CHECK(count([&] { CHECK(dec.decode(documents::job_document, text)); }) == 0);
  }
  // Each of these packs the most list elements of one kind into the largest payload: the arena
  // sized from the payload (decoder::arena_bytes) must hold them all, and after reserve() no
  // decode allocates.
  const auto fill = [](std::string head, std::string_view item, std::string_view last,
                       std::string_view tail) {
    while (head.size() + item.size() + last.size() + tail.size() <= max_payload_size)
      head += item;
    return head + std::string(last) + std::string(tail);
  };
  const std::string one_step =
      R"({"action":{"name":"x","type":"runCommand","input":{"command":"a"}}})";
  const std::vector<std::string> densest = {
      fill(R"({"version":"1.0","steps":[)", one_step + ",", one_step, "]}"),
      fill(
          R"({"version":"1.0","steps":[{"action":{"name":"x","type":"runCommand","input":{"command":")",
          "a,", "a", R"("}}}]})"),
      fill(
          R"({"version":"1.0","steps":[{"action":{"name":"x","type":"runHandler","input":{"handler":"h","args":[)",
          R"("",)", R"("")", "]}}}]}"),
      fill(R"({"version":"1.0","steps":[)" + one_step + R"(],"conditions":[)",
           R"({"key":"k","value":[""]},)", R"({"key":"k","value":[""]})", "]}"),
      fill(R"({"afr_ota":{"protocols":["MQTT"],"streamname":"s","files":[)",
           R"({"filesize":0,"fileid":0},)", R"({"filesize":0,"fileid":0})", "]}}"),
      R"({"operation":"x"})",
  };
  for (const std::string& text : densest) {
    CAPTURE(text.substr(0, 60));
    REQUIRE(text.size() <= max_payload_size);
    decoder fresh;
    CHECK(fresh.decode(documents::job_document, text));  // sized from the payload alone
  }
  // An element that fails takes its storage first: the error is its own, never out_of_memory.
  const std::vector<std::string> failing = {
      fill(R"({"version":"1.0","steps":[)", one_step + ",", R"({"action":0})", "]}"),
      fill(R"({"afr_ota":{"protocols":["MQTT"],"streamname":"s","files":[)",
           R"({"filesize":0,"fileid":0},)", "0", "]}}"),
      R"({"operation":0})",
  };
  for (const std::string& text : failing) {
    CAPTURE(text.substr(0, 60));
    decoder fresh;
    CHECK(fresh.decode(documents::job_document, text).error() == error::wrong_type);
  }
  REQUIRE(dec.reserve(max_payload_size) == error::ok);
  CHECK(count([&] {
          for (const std::string& text : densest)
            CHECK(dec.decode(documents::job_document, text));
        }) == 0);
}

// The service encoders, on every golden payload decoded: into a buffer, its size, and through a
// char* (the decode before is allowed to allocate; the encodes are not).
TEST_CASE("every service encoder allocates nothing") {
  char buf[8192];
  const auto encodes = [&](const auto& view) {
    return count([&] {
      CHECK(service::encode_to_n(buf, view));
      CHECK(service::encoded_size(view));
      CHECK(service::encode_to(static_cast<char*>(buf), view));
    });
  };
  int files = 0;
  for (const auto& f : test::golden_files()) {
    CAPTURE(f.name);
    decoder dec;
    const auto m = iotjobs::mqtt::decode(dec, f.topic, f.payload);
    REQUIRE(m);
    const long n = std::visit(
        [&](const auto& view) -> long {
          if constexpr (service::is_response_v<std::decay_t<decltype(view)>>) {
            return encodes(view);
          } else {
            return -1;  // a request: no golden file holds one
          }
        },
        m->body);
    CHECK(n == 0);
    ++files;
  }
  CHECK(files >= 18);
}

// The job runner, once created, runs job after job without allocating: the claim, a report
// with statusDetails (copied into its storage), the final report, resends, a backoff, a notify,
// a notify-next and the `$next` that follows each job. The first job is the warm-up.
TEST_CASE("the job runner allocates nothing after create") {
  using namespace std::chrono_literals;
  namespace rn = iotjobs::runner;
  rn::config c;
  c.thing_name = "dev1";
  auto made = rn::job_runner::create(c);
  REQUIRE(made);
  rn::job_runner& r = *made;
  rn::instant now{1s};
  const std::string t = "$aws/things/dev1/jobs/";
  // The replies for job `j` whose requests have tokens n+1 ... n+5 (seed 0: prefix 7b1dcdaf):
  // $next, the claim, a report, the check a notify-next prompts, the final report.
  struct step {
    std::string topic, payload;
  };
  const auto script = [&](const std::string& j, int n) {
    const auto tok = [&](int i) {
      return "\"clientToken\":\"7b1dcdaf-" + std::to_string(n + i) + "\"";
    };
    return std::vector<step>{
        {t + "$next/get/accepted",
         "{" + tok(1) + ",\"execution\":{\"jobId\":\"" + j +
             "\",\"status\":\"QUEUED\",\"versionNumber\":1,\"executionNumber\":1,"
             "\"jobDocument\":{\"url\":\"https://b.s3.amazonaws.com/f?X-Amz-Signature=a\"}}}"},
        {t + j + "/update/rejected", "{\"code\":\"RequestThrottled\"," + tok(2) + "}"},
        {t + j + "/update/accepted",
         "{\"executionState\":{\"status\":\"IN_PROGRESS\",\"versionNumber\":2}," + tok(2) + "}"},
        {t + "notify", "{\"timestamp\":1,\"jobs\":{\"IN_PROGRESS\":[{\"jobId\":\"" + j + "\"}]}}"},
        {t + j + "/update/accepted",
         "{\"executionState\":{\"status\":\"IN_PROGRESS\",\"versionNumber\":3}," + tok(3) + "}"},
        {t + "notify-next",
         "{\"timestamp\":1,\"execution\":{\"jobId\":\"other\",\"status\":\"QUEUED\"}}"},
        {t + j + "/update/accepted",
         "{\"executionState\":{\"status\":\"SUCCEEDED\",\"versionNumber\":4}," + tok(5) + "}"},
        {t + j + "/get/accepted", "{" + tok(4) + ",\"execution\":{\"jobId\":\"" + j +
                                      "\",\"status\":\"IN_PROGRESS\",\"versionNumber\":3}}"},
    };
  };
  const std::string details_key = "step", details_value = std::string(300, 'x');
  const status_detail details[] = {{details_key, details_value}, {"n", "1"}};
  int ended = 0;
  const auto drain = [&] {
    while (r.next_publish()) {
    }
    while (auto e = r.next_event())
      ended += std::holds_alternative<rn::job_ended>(*e);
  };
  const auto run_job = [&](const std::vector<step>& s) {
    r.connected(now);  // $next (or, after the first job, the $next sent when it ended, again)
    drain();
    CHECK(r.receive(s[0].topic, s[0].payload, now) == error::ok);  // started; the claim goes out
    drain();
    CHECK(r.receive(s[1].topic, s[1].payload, now) == error::ok);  // throttled: a backoff
    now += 2s;
    r.tick(now);
    drain();
    CHECK(r.receive(s[2].topic, s[2].payload, now) == error::ok);  // claimed
    CHECK(r.receive(s[3].topic, s[3].payload, now) == error::ok);  // still listed
    CHECK(r.report({update_status::in_progress, status_details_view(details), 30}, now) ==
          error::ok);
    drain();
    now += 20s;  // no reply: the same bytes again
    r.tick(now);
    drain();
    CHECK(r.receive(s[4].topic, s[4].payload, now) == error::ok);
    drain();
    CHECK(r.receive(s[5].topic, s[5].payload, now) == error::ok);  // another job is next: ask
    drain();
    CHECK(r.report({update_status::succeeded, status_details_view(details), std::nullopt}, now) ==
          error::ok);
    CHECK(r.receive(s[7].topic, s[7].payload, now) == error::ok);  // still on; the final goes out
    drain();
    CHECK(r.receive(s[6].topic, s[6].payload, now) == error::ok);  // ended
    drain();
  };
  const auto first = script("warm", 0), second = script("j2", 5), third = script("j3", 10);
  run_job(first);
  CHECK(ended == 1);
  CHECK(count([&] {
          run_job(second);
          run_job(third);
        }) == 0);
  CHECK(ended == 3);
}

// Every allocation create() makes (its state, the report storage, the decoder's buffers and
// parsers) failing in turn: each is out_of_memory, and nothing crashes.
TEST_CASE("the job runner's create reports each failed allocation as out_of_memory") {
  iotjobs::runner::config c;
  c.thing_name = "dev1";
  long n = 0;
  for (;; ++n) {
    iotjobs_fail_nothrow_allocations_after(n);
    const auto r = iotjobs::runner::job_runner::create(c);
    iotjobs_fail_nothrow_allocations_after(-1);
    if (r) break;
    CHECK(r.error() == error::out_of_memory);
    REQUIRE(n < 100);
  }
  CHECK(n >= 6);  // the state, 2 x (entries, text), the payload, then the decoder's
}
