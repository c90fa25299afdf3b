#include "iotjobs/decoder.hpp"
#include "iotjobs/messages.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "support.hpp"

namespace test_decoder {

using namespace iotjobs;
using job_status = job_execution_status;

TEST_CASE("notify-next, the AWS example") {
  decoder dec;
  const std::string payload = test::golden("notify_next-doc.json");
  const auto r = dec.decode(iotjobs::mqtt::notify_next, payload);
  REQUIRE(r);
  CHECK(r->timestamp == 1517186779);
  REQUIRE(r->execution);
  const job_execution_view& x = *r->execution;
  CHECK(x.job_id == "job3");
  CHECK(x.status == job_status::in_progress);
  CHECK(x.status_text == "IN_PROGRESS");
  CHECK(x.queued_at == 1517017905);
  CHECK(x.started_at == 1517186779);
  CHECK(x.last_updated_at == 1517186779);
  CHECK(x.version_number == 2);
  CHECK(x.execution_number == 1);
  CHECK_FALSE(x.thing_name);  // absent in the AWS example
  CHECK_FALSE(x.status_details);
  CHECK_FALSE(x.approximate_seconds_before_timed_out);
  REQUIRE(x.job_document);
  CHECK(x.job_document->json() == "{\n      \"operation\": \"test\"\n    }");
}

// The benchmark payloads (bench/): the same files, decoded and checked here.
TEST_CASE("notify-next with a firmware job document and escaped statusDetails") {
  decoder dec;
  const std::string payload = test::golden("notify_next-firmware.json");
  const auto r = dec.decode(iotjobs::mqtt::notify_next, payload);
  REQUIRE(r);
  CHECK(r->timestamp == 1700000500);
  REQUIRE(r->execution);
  const job_execution_view& x = *r->execution;
  CHECK(x.job_id == "fw-2_4_1-fleet-a");
  CHECK(x.thing_name == "sensor-0042");
  CHECK(x.status == job_status::in_progress);
  REQUIRE(x.status_details);
  REQUIRE(x.status_details->size() == 4);
  CHECK((*x.status_details)[0].value == "downloading \"app-2.4.1.bin\"");
  CHECK((*x.status_details)[1].value == "42%");
  CHECK((*x.status_details)[2].value == "C:\\fw\\app.bin");
  CHECK((*x.status_details)[3].key == "note");
  CHECK((*x.status_details)[3].value == "caf\xC3\xA9 / 2\xE2\x82\xAC");
  CHECK(x.queued_at == 1700000000);
  CHECK(x.started_at == 1700000100);
  CHECK(x.last_updated_at == 1700000400);
  CHECK(x.version_number == 3);
  CHECK(x.execution_number == 1);
  REQUIRE(x.job_document);
  const std::string_view doc = x.job_document->json();
  CHECK(doc.size() == 631);
  CHECK(doc.substr(0, 30) == R"({"operation":"firmware-update")");
  CHECK(payload.find(doc) == payload.size() - doc.size() - 2);  // verbatim, before the two `}`
}

TEST_CASE("notify-next with nothing pending is a normal value") {
  decoder dec;
  const auto r = dec.decode(iotjobs::mqtt::notify_next, test::golden("notify_next-empty.json"));
  REQUIRE(r);
  CHECK(r->timestamp == 1517189551);
  CHECK_FALSE(r->execution);
}

TEST_CASE("notify, the AWS examples") {
  decoder dec;
  auto r = dec.decode(iotjobs::mqtt::notify, test::golden("notify-doc.json"));
  REQUIRE(r);
  CHECK(r->timestamp == 1517016948);
  REQUIRE(r->jobs.size() == 1);
  CHECK(r->jobs[0].status == job_status::queued);
  CHECK(r->jobs[0].status_text == "QUEUED");
  const auto queued = r->find(job_status::queued);
  REQUIRE(queued.size() == 1);
  CHECK(queued[0].job_id == "job1");
  CHECK(queued[0].queued_at == 1517016947);
  CHECK(queued[0].last_updated_at == 1517016947);
  CHECK(queued[0].execution_number == 1);
  CHECK(queued[0].version_number == 1);
  CHECK_FALSE(queued[0].started_at);
  CHECK(r->find(job_status::in_progress).empty());

  r = dec.decode(iotjobs::mqtt::notify, test::golden("notify-empty.json"));
  REQUIRE(r);
  CHECK(r->timestamp == 1517189551);
  CHECK(r->jobs.empty());
}

TEST_CASE("notify with two groups keeps payload order") {
  decoder dec;
  const auto r = dec.decode(iotjobs::mqtt::notify, test::golden("notify-two_groups.json"));
  REQUIRE(r);
  REQUIRE(r->jobs.size() == 2);
  CHECK(r->jobs[0].status == job_status::in_progress);
  CHECK(r->jobs[1].status == job_status::queued);
  const auto in_progress = r->find(job_status::in_progress);
  REQUIRE(in_progress.size() == 1);
  CHECK(in_progress[0].job_id == "job3");
  CHECK(in_progress[0].started_at == 1517186779);
  CHECK(in_progress[0].version_number == 2);
  const auto queued = r->find(job_status::queued);
  REQUIRE(queued.size() == 2);
  CHECK(queued[0].job_id == "job4");
  CHECK(queued[0].version_number == 0);  // present and 0, not absent
  CHECK(queued[1].job_id == "job5");
  CHECK(queued[1].queued_at == 1517017920);
}

TEST_CASE("notify lists any number of executions, and unknown status keys") {
  std::string payload = R"({"timestamp":1,"jobs":{"QUEUED":[)";
  for (int i = 0; i < 40; ++i) {
    payload += (i ? "," : "") + std::string(R"({"jobId":"j)") + std::to_string(i) + R"("})";
  }
  payload += R"(],"PAUSED":[{"jobId":"p"}]}})";
  decoder dec;
  const auto r = dec.decode(iotjobs::mqtt::notify, payload);
  REQUIRE(r);
  REQUIRE(r->jobs.size() == 2);
  REQUIRE(r->jobs[0].jobs.size() == 40);
  CHECK(r->jobs[0].jobs[39].job_id == "j39");
  CHECK(r->jobs[1].status == job_status::unknown);
  CHECK(r->jobs[1].status_text == "PAUSED");
  CHECK(r->jobs[1].jobs[0].job_id == "p");
}

TEST_CASE("start-next accepted, the AWS example (corrected)") {
  decoder dec;
  const auto r =
      dec.decode(iotjobs::mqtt::start_next_accepted, test::golden("start_next_accepted-doc.json"));
  REQUIRE(r);
  CHECK(r->client_token == "client-1");
  CHECK(r->timestamp == 1489088524);
  REQUIRE(r->execution);
  const job_execution_view& x = *r->execution;
  CHECK(x.job_id == "022");
  CHECK(x.thing_name == "MyThing");
  CHECK(x.status == job_status::in_progress);
  CHECK(x.queued_at == 1489096123);
  CHECK(x.last_updated_at == 1489096123);
  CHECK_FALSE(x.started_at);
  CHECK(x.version_number == 1);
  CHECK(x.execution_number == 1234567890);
  REQUIRE(x.job_document);
  CHECK(x.job_document->json() ==
        R"({"operation": "firmware-update", "url": "https://example.com/fw-1.2.3.bin"})");
}

TEST_CASE("start-next accepted with nothing pending") {
  decoder dec;
  const auto r = dec.decode(iotjobs::mqtt::start_next_accepted,
                            test::golden("start_next_accepted-nothing_pending.json"));
  REQUIRE(r);
  CHECK_FALSE(r->execution);
  CHECK(r->client_token == "c-empty");
  CHECK(r->timestamp == 1517189551);
}

TEST_CASE("describe accepted with every field") {
  decoder dec;
  const auto r =
      dec.decode(iotjobs::mqtt::describe_accepted, test::golden("describe_accepted-full.json"));
  REQUIRE(r);
  CHECK(r->client_token == "c-3");
  CHECK(r->timestamp == 1700000121);
  REQUIRE(r->execution);
  const job_execution_view& x = *r->execution;
  CHECK(x.job_id == "fw-update_42");
  CHECK(x.thing_name == "my:thing_1-2");
  CHECK(x.status == job_status::in_progress);
  REQUIRE(x.status_details);
  REQUIRE(x.status_details->size() == 3);
  CHECK((*x.status_details)[0].key == "step");
  CHECK((*x.status_details)[0].value == "download");
  CHECK(x.status_details->find("progress") == std::optional<std::string_view>("40%"));
  // Unescaped: \u00e9, \" and \\ .
  CHECK(x.status_details->find("note") ==
        std::optional<std::string_view>("caf\xC3\xA9 \"quoted\" \\ back"));
  CHECK(x.queued_at == 1700000000);
  CHECK(x.started_at == 1700000060);
  CHECK(x.last_updated_at == 1700000120);
  CHECK(x.approximate_seconds_before_timed_out == 540);
  CHECK(x.version_number == 3);
  CHECK(x.execution_number == 7);
  REQUIRE(x.job_document);
  CHECK(
      x.job_document->json() ==
      R"({"operation":"install","files":[{"url":"https://example.com/a.bin","size":1048576,"sha256":null,"ok":true}],"retries":2.5e0})");
}

TEST_CASE("update accepted, full and minimal") {
  decoder dec;
  auto r = dec.decode(iotjobs::mqtt::update_accepted, test::golden("update_accepted-full.json"));
  REQUIRE(r);
  REQUIRE(r->execution_state);
  CHECK(r->execution_state->status == job_status::succeeded);
  REQUIRE(r->execution_state->status_details);
  CHECK(r->execution_state->status_details->find("result") ==
        std::optional<std::string_view>("ok"));
  CHECK(r->execution_state->version_number == 4);
  REQUIRE(r->job_document);
  CHECK(r->job_document->json() == R"({"operation":"reboot"})");
  CHECK(r->timestamp == 1700000200);
  CHECK(r->client_token == "c-4");

  r = dec.decode(iotjobs::mqtt::update_accepted, test::golden("update_accepted-minimal.json"));
  REQUIRE(r);
  CHECK_FALSE(r->execution_state);
  CHECK_FALSE(r->job_document);
  CHECK_FALSE(r->client_token);
  CHECK(r->timestamp == 1700000200);
}

TEST_CASE("update accepted with a job document") {
  decoder dec;
  const auto r =
      dec.decode(iotjobs::mqtt::update_accepted, test::golden("update_accepted-document.json"));
  REQUIRE(r);
  REQUIRE(r->execution_state);
  CHECK(r->execution_state->status == job_status::in_progress);
  REQUIRE(r->execution_state->status_details);
  CHECK(r->execution_state->status_details->find("progress") ==
        std::optional<std::string_view>("80%"));
  CHECK(r->execution_state->version_number == 5);
  REQUIRE(r->job_document);
  CHECK(r->job_document->json().size() == 631);
  CHECK(r->timestamp == 1700000700);
  CHECK(r->client_token == "update-0005");
}

TEST_CASE("get-pending accepted") {
  decoder dec;
  auto r = dec.decode(iotjobs::mqtt::get_pending_accepted,
                      test::golden("get_pending_accepted-full.json"));
  REQUIRE(r);
  REQUIRE(r->in_progress_jobs.size() == 1);
  const job_execution_summary_view& a = r->in_progress_jobs[0];
  CHECK(a.job_id == "job-a");
  CHECK(a.queued_at == 1700000000);
  CHECK(a.started_at == 1700000010);
  CHECK(a.last_updated_at == 1700000020);
  CHECK(a.version_number == 2);
  CHECK(a.execution_number == 1);
  REQUIRE(r->queued_jobs.size() == 2);
  CHECK(r->queued_jobs[0].job_id == "job-b");
  CHECK_FALSE(r->queued_jobs[0].started_at);
  CHECK(r->queued_jobs[1].job_id == "job-c");
  CHECK(r->queued_jobs[1].execution_number == 2);
  CHECK(r->timestamp == 1700000050);
  CHECK(r->client_token == "client-001");

  r = dec.decode(iotjobs::mqtt::get_pending_accepted,
                 test::golden("get_pending_accepted-ten.json"));
  REQUIRE(r);
  REQUIRE(r->in_progress_jobs.size() == 2);
  CHECK(r->in_progress_jobs[1].job_id == "config-rotate-7");
  CHECK(r->in_progress_jobs[1].started_at == 1700000110);
  CHECK(r->in_progress_jobs[1].execution_number == 4);
  REQUIRE(r->queued_jobs.size() == 8);
  for (std::size_t i = 0; i < 8; ++i) {
    CAPTURE(i);
    CHECK(r->queued_jobs[i].job_id == "queued-job-" + std::to_string(i));
    CHECK(r->queued_jobs[i].queued_at == 1700000100 + 10 * static_cast<std::int64_t>(i));
    CHECK_FALSE(r->queued_jobs[i].started_at);
    CHECK(r->queued_jobs[i].execution_number == 1 + static_cast<std::int64_t>(i % 3));
  }
  CHECK(r->client_token == "get-pending-0001");

  r = dec.decode(iotjobs::mqtt::get_pending_accepted,
                 test::golden("get_pending_accepted-empty.json"));
  REQUIRE(r);
  CHECK(r->in_progress_jobs.empty());
  CHECK(r->queued_jobs.empty());
  CHECK_FALSE(r->client_token);
}

TEST_CASE("rejections are data") {
  decoder dec;
  auto r =
      dec.decode(iotjobs::mqtt::rejected, test::golden("update_rejected-version_mismatch.json"));
  REQUIRE(r);
  CHECK(r->code == rejection_code::version_mismatch);
  CHECK(r->code_text == "VersionMismatch");
  CHECK(r->message == "The expected version does not match the current version.");
  CHECK(r->client_token == "c-5");
  CHECK(r->timestamp == 1700000300);
  REQUIRE(r->execution_state);
  CHECK(r->execution_state->status == job_status::in_progress);
  CHECK(r->execution_state->version_number == 5);
  CHECK(r->execution_state->status_details->find("step") ==
        std::optional<std::string_view>("install"));

  r = dec.decode(iotjobs::mqtt::rejected, test::golden("get_pending_rejected-not_found.json"));
  REQUIRE(r);
  CHECK(r->code == rejection_code::resource_not_found);
  CHECK(r->message == "Job execution job-x for thing my-thing not found.");
  CHECK_FALSE(r->execution_state);

  r = dec.decode(iotjobs::mqtt::rejected, test::golden("update_rejected-unknown_code.json"));
  REQUIRE(r);
  CHECK(r->code == rejection_code::unknown);
  CHECK(r->code_text == "SomethingNew");
  CHECK_FALSE(r->client_token);
}

TEST_CASE("unknown members are ignored, unknown statuses kept raw") {
  decoder dec;
  const auto r = dec.decode(
      iotjobs::mqtt::notify_next,
      R"({"future":{"a":[1,2,{"b":null}]},"execution":{"jobId":"j","status":"PAUSED","x":"y","thingName":"t"},"timestamp":5,"more":true})");
  REQUIRE(r);
  CHECK(r->execution->status == job_status::unknown);
  CHECK(r->execution->status_text == "PAUSED");
  CHECK(r->execution->thing_name == "t");
  CHECK(r->timestamp == 5);
}

TEST_CASE("integers are exact int64, from integers or decimal strings") {
  decoder dec;
  const auto ts = [&](std::string_view value) {
    return dec.decode(iotjobs::mqtt::notify_next,
                      std::string(R"({"timestamp":)") + std::string(value) + "}");
  };
  CHECK(ts("9223372036854775807")->timestamp == INT64_MAX);
  CHECK(ts("-9223372036854775808")->timestamp == INT64_MIN);
  CHECK(ts("9007199254740993")->timestamp == 9007199254740993);  // 2^53 + 1: no double on the way
  CHECK(ts("0")->timestamp == 0);
  CHECK(ts("-0")->timestamp == 0);
  CHECK(ts(R"("7")")->timestamp == 7);  // AWS embedded clients quote numbers
  CHECK(ts(R"("-12")")->timestamp == -12);
  CHECK(ts(R"("9223372036854775807")")->timestamp == INT64_MAX);

  CHECK(ts("9223372036854775808").error() == error::number_out_of_range);
  CHECK(ts("-9223372036854775809").error() == error::number_out_of_range);
  CHECK(ts("123456789012345678901234567890").error() == error::number_out_of_range);
  CHECK(ts(R"("9223372036854775808")").error() == error::number_out_of_range);
  CHECK(ts("true").error() == error::wrong_type);
  CHECK(ts("[1]").error() == error::wrong_type);
  CHECK(ts(R"("")").error() == error::wrong_type);
  CHECK(ts(R"("12a")").error() == error::wrong_type);
  CHECK(ts(R"("+5")").error() == error::wrong_type);
  CHECK(ts(R"("-")").error() == error::wrong_type);
  CHECK(ts("01").error() == error::invalid_json);
  CHECK(ts("1.").error() == error::invalid_json);
  CHECK(ts("-").error() == error::invalid_json);
  CHECK(ts("+1").error() == error::invalid_json);
}

TEST_CASE("numbers as the AWS clients read them: an integer value in any form; times floor") {
  decoder dec;
  // versionNumber, an integer member: any JSON number whose value is an integer, read exactly.
  const auto version = [&](std::string_view value) {
    return dec.decode(iotjobs::mqtt::update_accepted,
                      std::string(R"({"executionState":{"status":"QUEUED","versionNumber":)") +
                          std::string(value) + "}}");
  };
  const auto version_of = [&](std::string_view value) {
    const auto r = version(value);
    REQUIRE(r);
    return *r->execution_state->version_number;
  };
  CHECK(version_of("1.0") == 1);  // the AWS JS v3 client reads 1
  CHECK(version_of("1e2") == 100);
  CHECK(version_of("1E+2") == 100);
  CHECK(version_of("100e-2") == 1);
  CHECK(version_of("12.500e1") == 125);
  CHECK(version_of("0.0") == 0);
  CHECK(version_of("-0.0e5") == 0);
  CHECK(version_of("-3.000") == -3);
  CHECK(version_of("0.00001e5") == 1);
  CHECK(version_of("9007199254740993.0") == 9007199254740993);  // 2^53 + 1: no double between
  CHECK(version_of("9.223372036854775807e18") == INT64_MAX);
  CHECK(version_of("-9.223372036854775808e18") == INT64_MIN);
  CHECK(version_of("0e999999999999999999") == 0);
  for (const char* fraction :
       {"1.5", "1e-1", "0.1", "-0.5", "1.0000000000000000001", "1e-400", "12.51e1"}) {
    CAPTURE(fraction);
    CHECK(version(fraction).error() == error::wrong_type);
  }
  for (const char* large : {"9.223372036854775808e18", "-9.223372036854775809e18", "1e19", "1e400",
                            "1.5e400", "-1e30"}) {
    CAPTURE(large);
    CHECK(version(large).error() == error::number_out_of_range);
  }

  // timestamp, a time: any number; the whole seconds, rounded toward negative infinity.
  const auto at = [&](std::string_view value) {
    return dec.decode(iotjobs::mqtt::notify_next,
                      std::string(R"({"timestamp":)") + std::string(value) + "}");
  };
  CHECK(at("1517016947.5")->timestamp == 1517016947);
  CHECK(at("1517016947.999999")->timestamp == 1517016947);
  CHECK(at("1.5170169475e9")->timestamp == 1517016947);
  CHECK(at("1e3")->timestamp == 1000);
  CHECK(at("0.25")->timestamp == 0);
  CHECK(at("-0.25")->timestamp == -1);
  CHECK(at("-1.5")->timestamp == -2);
  CHECK(at("-2.0")->timestamp == -2);
  CHECK(at("-9223372036854775807.5")->timestamp == INT64_MIN);
  CHECK(at("-9223372036854775808.5").error() == error::number_out_of_range);
  CHECK(at("1e19").error() == error::number_out_of_range);
  CHECK(at(R"("1.5")").error() == error::wrong_type);  // a string: decimal digits only

  // The same in the REST binding: one model.
  const auto rest = dec.decode(
      iotjobs::https::describe_response,
      {200, "",
       R"({"execution":{"jobId":"j","status":"QUEUED","versionNumber":1.0,"queuedAt":1517016947.5,"executionNumber":2e0}})"});
  REQUIRE(rest);
  REQUIRE(rest->value);
  const job_execution_view& x = *rest->value->execution;
  CHECK(x.version_number == 1);
  CHECK(x.queued_at == 1517016947);
  CHECK(x.execution_number == 2);
  CHECK(
      dec.decode(iotjobs::https::describe_response,
                 {200, "", R"({"execution":{"jobId":"j","status":"QUEUED","versionNumber":1.5}})"})
          .error() == error::wrong_type);
}

TEST_CASE("a null statusDetails value is dropped, as the AWS clients drop null map values") {
  decoder dec;
  const auto r = dec.decode(
      iotjobs::mqtt::notify_next,
      R"({"execution":{"jobId":"j","status":"QUEUED","statusDetails":{"k":null,"a":"b","n":null,"c":"d"}}})");
  REQUIRE(r);
  const status_details_view& details = *r->execution->status_details;
  REQUIRE(details.size() == 2);
  CHECK(details[0].key == "a");
  CHECK(details[0].value == "b");
  CHECK(details[1].key == "c");
  CHECK(details[1].value == "d");
  CHECK_FALSE(details.find("k"));
  const auto only_null =
      dec.decode(iotjobs::mqtt::notify_next,
                 R"({"execution":{"jobId":"j","status":"QUEUED","statusDetails":{"k":null}}})");
  REQUIRE(only_null);
  CHECK(only_null->execution->status_details->empty());  // present, with no entries
  // Other values that are not strings are still the wrong type; `nul` is not JSON.
  for (const char* bad : {R"({"k":1})", R"({"k":true})", R"({"k":{}})", R"({"k":[null]})"}) {
    CAPTURE(bad);
    CHECK(
        dec.decode(iotjobs::mqtt::notify_next,
                   std::string(R"({"execution":{"jobId":"j","status":"QUEUED","statusDetails":)") +
                       bad + "}}")
            .error() == error::wrong_type);
  }
  CHECK(dec.decode(iotjobs::mqtt::notify_next,
                   R"({"execution":{"jobId":"j","status":"QUEUED","statusDetails":{"k":nul}}})")
            .error() == error::invalid_json);
}

TEST_CASE("null on an optional member means absent") {
  decoder dec;
  const auto r = dec.decode(iotjobs::mqtt::notify_next, R"({"timestamp":null,"execution":null})");
  REQUIRE(r);
  CHECK_FALSE(r->timestamp);
  CHECK_FALSE(r->execution);
  const auto e = dec.decode(iotjobs::mqtt::notify_next,
                            R"({"execution":{"jobId":"j","status":"QUEUED","startedAt":null}})");
  REQUIRE(e);
  CHECK_FALSE(e->execution->started_at);
}

TEST_CASE("required members") {
  decoder dec;
  CHECK(dec.decode(iotjobs::mqtt::notify_next, R"({"execution":{"status":"QUEUED"}})").error() ==
        error::missing_field);
  CHECK(dec.last_error_field() == "jobId");
  CHECK(dec.decode(iotjobs::mqtt::notify_next, R"({"execution":{"jobId":"j"}})").error() ==
        error::missing_field);
  CHECK(dec.last_error_field() == "status");
  CHECK(dec.decode(iotjobs::mqtt::notify_next, R"({"execution":{"jobId":null,"status":"QUEUED"}})")
            .error() == error::missing_field);
  CHECK(dec.decode(iotjobs::mqtt::rejected, R"({"message":"m"})").error() == error::missing_field);
  CHECK(dec.last_error_field() == "code");
  CHECK(dec.decode(iotjobs::mqtt::update_accepted, R"({"executionState":{"versionNumber":1}})")
            .error() == error::missing_field);
  CHECK(dec.decode(iotjobs::mqtt::notify, R"({"jobs":{"QUEUED":[{"queuedAt":1}]}})").error() ==
        error::missing_field);
}

TEST_CASE("wrong types") {
  decoder dec;
  const char* cases[] = {
      R"([])",
      R"("text")",
      R"(42)",
      R"(null)",
      R"({"execution":[]})",
      R"({"execution":{"jobId":7,"status":"QUEUED"}})",
      R"({"execution":{"jobId":"j","status":true}})",
      R"({"execution":{"jobId":"j","status":"QUEUED","statusDetails":[]}})",
      R"({"execution":{"jobId":"j","status":"QUEUED","statusDetails":{"k":1}}})",
      R"({"execution":{"jobId":"j","status":"QUEUED","jobDocument":[1]}})",
      R"({"execution":{"jobId":"j","status":"QUEUED","thingName":{}}})",
  };
  for (const char* c : cases) {
    CAPTURE(c);
    CHECK(dec.decode(iotjobs::mqtt::notify_next, c).error() == error::wrong_type);
  }
  CHECK(dec.decode(iotjobs::mqtt::notify, R"({"jobs":[]})").error() == error::wrong_type);
  CHECK(dec.decode(iotjobs::mqtt::notify, R"({"jobs":{"QUEUED":{}}})").error() ==
        error::wrong_type);
  CHECK(dec.decode(iotjobs::mqtt::notify, R"({"jobs":{"QUEUED":["j"]}})").error() ==
        error::wrong_type);
  CHECK(dec.decode(iotjobs::mqtt::get_pending_accepted, R"({"queuedJobs":{}})").error() ==
        error::wrong_type);
  CHECK(dec.decode(iotjobs::mqtt::rejected, R"({"code":5})").error() == error::wrong_type);
  CHECK(dec.decode(iotjobs::mqtt::rejected, R"({"code":"X","clientToken":1})").error() ==
        error::wrong_type);
}

TEST_CASE("a malformed value where a type is expected is invalid JSON, not a wrong type") {
  decoder dec;
  CHECK(dec.decode(iotjobs::mqtt::notify_next, R"({"execution":tru})").error() ==
        error::invalid_json);
  CHECK(dec.decode(iotjobs::mqtt::notify_next, R"({"timestamp":nul})").error() ==
        error::invalid_json);
  CHECK(dec.decode(iotjobs::mqtt::notify_next, R"({"timestamp":[1,]})").error() ==
        error::invalid_json);
  CHECK(dec.decode(iotjobs::mqtt::rejected, R"({"code":{"a":}})").error() == error::invalid_json);
  CHECK(dec.decode(iotjobs::mqtt::notify, R"({"jobs":{"QUEUED":fals}})").error() ==
        error::invalid_json);
  CHECK(dec.decode(iotjobs::mqtt::notify_next,
                   R"({"execution":{"jobId":"j","status":"QUEUED","jobDocument":[1,]}})")
            .error() == error::invalid_json);
}

TEST_CASE("a known member twice is an error") {
  decoder dec;
  CHECK(dec.decode(iotjobs::mqtt::notify_next, R"({"timestamp":1,"timestamp":1})").error() ==
        error::duplicate_field);
  CHECK(dec.last_error_field() == "timestamp");
  CHECK(dec.decode(iotjobs::mqtt::notify_next, R"({"timestamp":null,"timestamp":1})").error() ==
        error::duplicate_field);
  CHECK(dec.decode(iotjobs::mqtt::notify_next,
                   R"({"execution":{"jobId":"a","jobId":"b","status":"QUEUED"}})")
            .error() == error::duplicate_field);
  CHECK(dec.decode(iotjobs::mqtt::notify, R"({"jobs":{"QUEUED":[],"IN_PROGRESS":[],"QUEUED":[]}})")
            .error() == error::duplicate_field);
  CHECK(dec.decode(iotjobs::mqtt::rejected, R"({"code":"A","code":"B"})").error() ==
        error::duplicate_field);
  // Unknown members and unknown status groups may repeat: they are not ours to judge.
  CHECK(dec.decode(iotjobs::mqtt::notify_next, R"({"x":1,"x":2})"));
  const auto groups =
      dec.decode(iotjobs::mqtt::notify, R"({"jobs":{"PAUSED":[],"PAUSED":[{"jobId":"p"}]}})");
  REQUIRE(groups);
  CHECK(groups->jobs.size() == 2);
}

TEST_CASE("the job document and skipped members are validated in full") {
  decoder dec;
  const auto doc = [&](std::string_view d) {
    return dec
        .decode(iotjobs::mqtt::notify_next,
                std::string(R"({"execution":{"jobId":"j","status":"QUEUED","jobDocument":)") +
                    std::string(d) + "}}")
        .error();
  };
  CHECK(
      doc(R"({"a":[1,2.5,-0,1e-400,18446744073709551615,-9223372036854775808,1.7976931348623157e308,true,false,null,"s",{}]})") ==
      error::ok);
  // Valid JSON beyond the range of numbers we accept (the limits of simdjson's DOM parser).
  CHECK(doc(R"({"a":1e400})") == error::number_out_of_range);
  CHECK(doc(R"({"a":-1.8e308})") == error::number_out_of_range);
  CHECK(doc(R"({"a":18446744073709551616})") == error::number_out_of_range);
  CHECK(doc(R"({"a":-9223372036854775809})") == error::number_out_of_range);
  CHECK(doc(R"({"a":tru})") == error::invalid_json);  // bad literal
  CHECK(doc(R"({"a":nul})") == error::invalid_json);
  CHECK(doc(R"({"a":falsey})") == error::invalid_json);
  CHECK(doc(R"({"a":[1,]})") == error::invalid_json);  // trailing comma
  CHECK(doc(R"({"a":1,})") == error::invalid_json);
  CHECK(doc(R"({"a":"unterminated})") == error::invalid_json);  // unterminated string
  CHECK(doc(R"({"a":"bad \x escape"})") == error::invalid_json);
  CHECK(doc(R"({"a":"\ud800"})") == error::invalid_json);  // lone surrogate escape
  CHECK(doc(R"({"a":01})") == error::invalid_json);
  CHECK(doc(R"({"a":1.})") == error::invalid_json);
  CHECK(doc(R"({"a" 1})") == error::invalid_json);
  CHECK(doc("{\"a\":\"raw\ttab\"}") == error::invalid_json);  // unescaped control character
  CHECK(doc("{\"a\":\"\xFF\"}") == error::invalid_utf8);

  const auto skipped = [&](std::string_view v) {
    return dec
        .decode(iotjobs::mqtt::notify_next, std::string(R"({"unknown":)") + std::string(v) + "}")
        .error();
  };
  CHECK(skipped(R"([1,{"a":[true,null]}])") == error::ok);
  CHECK(skipped(R"([1,{"a":[tru]}])") == error::invalid_json);
  CHECK(skipped(R"({"a":"\q"})") == error::invalid_json);
  CHECK(skipped(R"({"\q":1})") == error::invalid_json);  // keys too
  CHECK(skipped(R"(-01)") == error::invalid_json);
  CHECK(skipped(R"(1x)") == error::invalid_json);
}

TEST_CASE("nesting deeper than max_nesting_depth is refused") {
  decoder dec;
  const auto nested = [](std::size_t depth) {
    // The top-level object is level 1; `unknown` holds depth - 1 arrays.
    return R"({"unknown":)" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
  };
  CHECK(dec.decode(iotjobs::mqtt::notify_next, nested(max_nesting_depth)));
  CHECK(dec.decode(iotjobs::mqtt::notify_next, nested(max_nesting_depth + 1)).error() ==
        error::nesting_too_deep);
  CHECK(dec.decode(iotjobs::mqtt::notify_next, nested(5000)).error() == error::nesting_too_deep);
}

TEST_CASE("trailing content is an error") {
  decoder dec;
  CHECK(dec.decode(iotjobs::mqtt::notify_next,
                   R"({"timestamp":1}   )"));  // whitespace is not content
  CHECK(dec.decode(iotjobs::mqtt::notify_next, R"({"timestamp":1}{})").error() ==
        error::trailing_content);
  CHECK(dec.decode(iotjobs::mqtt::notify_next, R"({"timestamp":1} {"a":1})").error() ==
        error::trailing_content);
  CHECK(dec.last_error_offset() == 16);
  CHECK(dec.last_error_field().empty());
  // Whatever follows the object, even text that is no JSON token, is content after it.
  CHECK(dec.decode(iotjobs::mqtt::notify_next, R"({"timestamp":1} x)").error() ==
        error::trailing_content);
  CHECK(dec.last_error_offset() == 16);
  CHECK(dec.decode(iotjobs::mqtt::notify_next, R"({"timestamp":1} 1)").error() ==
        error::trailing_content);
}

TEST_CASE("empty and oversized payloads") {
  decoder dec;
  CHECK(dec.decode(iotjobs::mqtt::notify_next, "").error() == error::invalid_json);
  CHECK(dec.decode(iotjobs::mqtt::notify_next, "   ").error() == error::invalid_json);
  CHECK(dec.decode(iotjobs::mqtt::notify_next, "tru").error() ==
        error::invalid_json);  // not JSON: not wrong_type
  CHECK(dec.decode(iotjobs::mqtt::notify_next, "<html/>").error() == error::invalid_json);
  CHECK(dec.decode(iotjobs::mqtt::notify_next, "[1,]").error() == error::invalid_json);
  const std::string huge(max_payload_size + 1, ' ');
  CHECK(dec.decode(iotjobs::mqtt::notify_next, huge).error() == error::payload_too_large);
  CHECK(dec.reserve(max_payload_size + 1) == error::payload_too_large);
}

TEST_CASE("a payload of the AWS maximum size decodes") {
  // 128 KiB: one notify-next whose job document is padded out with a long string.
  const std::string head =
      R"({"execution":{"jobId":"big","status":"QUEUED","jobDocument":{"blob":")";
  const std::string tail = R"("}},"timestamp":1})";
  const std::string payload =
      head + std::string(max_payload_size - head.size() - tail.size(), 'x') + tail;
  REQUIRE(payload.size() == max_payload_size);
  decoder dec;
  const auto r = dec.decode(iotjobs::mqtt::notify_next, payload);
  REQUIRE(r);
  CHECK(r->execution->job_document->json().size() ==
        max_payload_size - head.size() - tail.size() + 11);
}

TEST_CASE("error location: byte offset and member") {
  decoder dec;
  const std::string_view payload =
      R"({"timestamp":1,"execution":{"jobId":"j","status":"QUEUED","versionNumber":1.5}})";
  CHECK(dec.decode(iotjobs::mqtt::notify_next, payload).error() == error::wrong_type);
  CHECK(dec.last_error_field() == "versionNumber");
  CHECK(dec.last_error_offset() == payload.find("1.5"));
}

TEST_CASE("a payload that is not JSON says where it stops being JSON, and the member before") {
  decoder dec;
  struct row {
    std::string_view payload;
    error e;
    std::size_t offset;
    std::string_view field;
  };
  const row rows[] = {
      // Cut short: its end, whatever simdjson made of the last token, and the last member named.
      {R"({"timestamp":1)", error::invalid_json, 14, "timestamp"},
      {R"({"timestamp":1,"execution":{"jobId":"j")", error::invalid_json, 39, "jobId"},
      {R"({"execution":{"jobId":"j","status":"QUEUED","jobDocument":{"a":[1,)", error::invalid_json,
       66, "a"},
      {R"({"timest)", error::invalid_json, 8, ""},
      {"{", error::invalid_json, 1, ""},
      {"[1,2", error::invalid_json, 4, ""},
      // Something no JSON text has there: its first byte.
      {R"({"timestamp":tru})", error::invalid_json, 13, "timestamp"},
      {R"({"timestamp":1,,"x":2})", error::invalid_json, 15, "timestamp"},
      // A whole value, then more: trailing content, no member to blame.
      {R"({"timestamp":1}x)", error::trailing_content, 15, ""},
      {R"({"timestamp":1} {})", error::trailing_content, 16, ""},
      // JSON, but a number beyond our range: where simdjson found it.
      {R"({"x":1e999})", error::number_out_of_range, 5, "x"},
  };
  for (const row& r : rows) {
    CAPTURE(r.payload);
    CHECK(dec.decode(iotjobs::mqtt::notify_next, r.payload).error() == r.e);
    CHECK(dec.last_error_offset() == r.offset);
    CHECK(dec.last_error_field() == r.field);
  }
}

TEST_CASE("the caller's buffer may be freed: the decoder keeps its own copy") {
  decoder dec;
  auto* owned = new std::string(test::golden("describe_accepted-full.json"));
  const auto r = dec.decode(iotjobs::mqtt::describe_accepted, *owned);
  owned->assign(owned->size(), '#');  // overwrite, then free
  delete owned;
  REQUIRE(r);
  CHECK(r->execution->job_id == "fw-update_42");
  CHECK(r->execution->status_details->find("step") == std::optional<std::string_view>("download"));
  CHECK(r->execution->job_document->json().substr(0, 22) == R"({"operation":"install")");
}

TEST_CASE("a padded payload is read where it lies, with the same views as a copy") {
  decoder copying, in_place;
  const std::string text = test::golden("notify_next-firmware.json");
  const simdjson::padded_string padded(text);
  const auto copied = copying.decode(iotjobs::mqtt::notify_next, text);
  const auto read = in_place.decode(iotjobs::mqtt::notify_next, padded);
  REQUIRE(copied);
  REQUIRE(read);
  const auto inside = [&](std::string_view s) {
    return s.data() >= padded.data() && s.data() + s.size() <= padded.data() + padded.size();
  };
  CHECK(read->execution->job_id == copied->execution->job_id);
  CHECK(inside(read->execution->job_id));
  CHECK(read->execution->job_document->json() == copied->execution->job_document->json());
  CHECK(inside(read->execution->job_document->json()));
  REQUIRE(read->execution->status_details->size() == copied->execution->status_details->size());
  for (std::size_t i = 0; i < read->execution->status_details->size(); ++i) {
    const status_detail& a = (*read->execution->status_details)[i];
    const status_detail& b = (*copied->execution->status_details)[i];
    CHECK(a.key == b.key);
    CHECK(a.value == b.value);
  }
  // A value that held an escape is unescaped into the decoder, not read in place.
  CHECK(std::any_of(read->execution->status_details->begin(),
                    read->execution->status_details->end(),
                    [&](const status_detail& d) { return !inside(d.value); }));
  // The same refusals, at the same place.
  const simdjson::padded_string bad(
      std::string_view(R"({"timestamp":1,"execution":{"jobId":"\x"}})"));
  CHECK(in_place.decode(iotjobs::mqtt::notify_next, bad).error() == error::invalid_json);
  CHECK(copying.decode(iotjobs::mqtt::notify_next, std::string_view(bad)).error() ==
        error::invalid_json);
  CHECK(in_place.last_error_offset() == copying.last_error_offset());
  CHECK(in_place.last_error_field() == copying.last_error_field());
}

TEST_CASE("a padded_string_view without simdjson's padding is copied first") {
  decoder dec;
  std::string text = test::golden("describe_accepted-full.json");
  const simdjson::padded_string_view short_of_padding(text.data(), text.size(), text.size());
  const auto r = dec.decode(iotjobs::mqtt::describe_accepted, short_of_padding);
  REQUIRE(r);
  text.assign(text.size(), '#');  // the decoder read a copy
  CHECK(r->execution->job_id == "fw-update_42");
}

TEST_CASE("a payload refused before it is read leaves no error place of an earlier decode") {
  decoder dec;
  {
    const simdjson::padded_string bad(
        std::string_view(R"({"timestamp":1,"execution":{"jobId":"\x"}})"));
    CHECK_FALSE(dec.decode(iotjobs::mqtt::notify_next, bad));
    CHECK(dec.last_error_field() == "jobId");  // a view into `bad`, which goes now
  }
  const std::string too_large(max_payload_size + 1, ' ');
  CHECK(dec.decode(iotjobs::mqtt::notify_next, too_large).error() == error::payload_too_large);
  CHECK(dec.last_error_offset() == 0);
  CHECK(dec.last_error_field().empty());
  const simdjson::padded_string too_large_padded(too_large);
  CHECK(dec.decode(iotjobs::mqtt::notify_next, too_large_padded).error() ==
        error::payload_too_large);
  CHECK(dec.last_error_field().empty());
}

TEST_CASE("strings with escapes read twice in one walk fit the decoder's room for them") {
  // A job document's top-level names are read once for its kind and again by its rules: long
  // escaped names, unescaped twice, take nearly twice the payload.
  decoder dec;
  const std::string name = std::string(1000, 'a') + "\\n";
  const std::string document = "{\"" + name + "\":0,\"" + name + "x\":1}";
  const auto r = dec.decode(iotjobs::documents::job_document, document);
  REQUIRE(r);
  CHECK(r->kind == iotjobs::documents::kind::unknown);
}

TEST_CASE("every golden payload decodes, and every strict prefix fails cleanly") {
  decoder dec;
  const auto files = test::golden_files();
  CHECK(files.size() >= 15);
  for (const auto& f : files) {
    CAPTURE(f.name);
    REQUIRE(test::decode_as(dec, f, f.payload) == error::ok);
    for (std::size_t n = 0; n < f.payload.size(); ++n) {
      const std::string_view prefix(f.payload.data(), n);
      // A prefix that ends in the whitespace after the final '}' is the whole message.
      if (detail::trim_right(f.payload) == detail::trim_right(prefix)) continue;
      CAPTURE(n);
      CHECK(test::decode_as(dec, f, prefix) != error::ok);
    }
  }
}

TEST_CASE("views stay valid until the next decode") {
  decoder dec;
  const auto first = dec.decode(iotjobs::mqtt::notify, test::golden("notify-two_groups.json"));
  REQUIRE(first);
  const auto queued = first->find(job_status::queued);
  CHECK(queued[1].job_id == "job5");  // still valid: no decode since
  const auto second = dec.decode(iotjobs::mqtt::notify_next, test::golden("notify_next-doc.json"));
  REQUIRE(second);
  CHECK(second->execution->job_id == "job3");
}

TEST_CASE("a decoder never accepts what a full JSON parser rejects") {
  // Every golden payload with each byte replaced in turn by bytes that matter to JSON: whatever
  // a decoder accepts, simdjson's DOM parser (which validates the whole text) must accept too.
  const char replacements[] = {'"', '\\', '{', '}', '[', ']',  ',',    ':',    '0',    '-',   '.',
                               'e', 'n',  't', 'x', ' ', '\t', '\x01', '\x7f', '\xc3', '\xff'};
  simdjson::dom::parser dom;
  decoder dec;
  std::size_t accepted = 0;
  for (const auto& f : test::golden_files()) {
    CAPTURE(f.name);
    std::string mutated = f.payload;
    for (std::size_t i = 0; i < mutated.size(); ++i) {
      const char original = mutated[i];
      for (char c : replacements) {
        if (c == original) continue;
        mutated[i] = c;
        if (test::decode_as(dec, f, mutated) == error::ok) {
          ++accepted;
          simdjson::dom::element root;
          CAPTURE(mutated);
          CHECK(dom.parse(mutated).get(root) == simdjson::SUCCESS);
        }
      }
      mutated[i] = original;
    }
  }
  CHECK(accepted > 0);  // some mutations are harmless (a digit, a space): the check ran
}

TEST_CASE(
    "a job document sent as a string of JSON text (the HTTPS form) is unescaped and checked") {
  decoder dec;
  const auto doc = [&](std::string_view d) {
    return dec.decode(iotjobs::mqtt::describe_accepted,
                      std::string(R"({"execution":{"jobId":"j","status":"QUEUED","jobDocument":)") +
                          std::string(d) + "}}");
  };
  const auto r = doc(
      R"("{\"operation\":\"install\",\"url\":\"https://example.com/a?b=1\u0026c=2\",\"n\":[1,2.5,null]}")");
  REQUIRE(r);
  CHECK(r->execution->job_document->json() ==
        R"({"operation":"install","url":"https://example.com/a?b=1&c=2","n":[1,2.5,null]})");
  CHECK(doc(R"(" { } ")")->execution->job_document->json() == " { } ");  // kept as sent

  // Invalid JSON inside the string.
  CHECK(doc(R"("text")").error() == error::invalid_json);
  CHECK(doc(R"("")").error() == error::invalid_json);
  CHECK(doc(R"("{\"a\":tru}")").error() == error::invalid_json);
  CHECK(doc(R"("{\"a\":[1,]}")").error() == error::invalid_json);
  CHECK(doc(R"("{\"a\":\"unterminated}")").error() == error::invalid_json);
  CHECK(doc(R"("{\"a\":\"\\x\"}")").error() == error::invalid_json);  // bad escape inside
  CHECK(doc(R"("{\"a\":1e400}")").error() == error::number_out_of_range);
  CHECK(doc(R"("{\"a\":1} {}")").error() == error::trailing_content);
  CHECK(doc(R"("{\"a\":1} x")").error() != error::ok);
  // Valid JSON, but a job document is an object.
  CHECK(doc(R"("[1]")").error() == error::wrong_type);
  CHECK(doc(R"("42")").error() == error::wrong_type);
  CHECK(doc(R"("\"s\"")").error() == error::wrong_type);
  CHECK(doc(R"("null")").error() == error::wrong_type);
  CHECK(doc(R"("nul")").error() == error::invalid_json);
  CHECK(doc(R"("4x")").error() == error::invalid_json);
  // Nesting is counted within the document, its root being level 1.
  const auto nested = [](std::size_t levels) {
    return "\"" + std::string(levels, '[') + std::string(levels, ']') + "\"";
  };
  CHECK(doc(nested(max_nesting_depth)).error() == error::wrong_type);  // deep enough, not an object
  CHECK(doc(nested(max_nesting_depth + 1)).error() == error::nesting_too_deep);
}

TEST_CASE("service side: request payloads decode into the request structs") {
  decoder dec;
  const auto get =
      dec.decode(iotjobs::mqtt::get_pending_request, R"({"clientToken":"client-001"})");
  REQUIRE(get);
  CHECK(get->client_token == "client-001");
  CHECK(get->thing_name.empty());                             // it travels in the topic
  CHECK(dec.decode(iotjobs::mqtt::get_pending_request, ""));  // an empty publish is a valid request
  CHECK_FALSE(dec.decode(iotjobs::mqtt::get_pending_request, " ")->client_token);

  const auto next = dec.decode(
      iotjobs::mqtt::start_next_request,
      R"({"statusDetails":{"step":"download"},"stepTimeoutInMinutes":30,"clientToken":"c-2"})");
  REQUIRE(next);
  CHECK(next->status_details->find("step") == std::optional<std::string_view>("download"));
  CHECK(next->step_timeout_in_minutes == 30);

  // Spec §8.2's example, with the thingName and jobId that v1 clients repeat (ignored).
  const auto describe = dec.decode(
      iotjobs::mqtt::describe_request,
      R"({"includeJobDocument":false,"executionNumber":3,"clientToken":"c-3","thingName":"t","jobId":"j"})");
  REQUIRE(describe);
  CHECK(describe->include_job_document == false);  // present and false
  CHECK(describe->execution_number == 3);
  CHECK(describe->client_token == "c-3");

  const auto update = dec.decode(
      iotjobs::mqtt::update_request,
      R"({"status":"IN_PROGRESS","statusDetails":{"step":"download"},"expectedVersion":1,"stepTimeoutInMinutes":30,"clientToken":"c-2"})");
  REQUIRE(update);
  CHECK(update->status == update_status::in_progress);
  CHECK(update->expected_version == 1);
  CHECK(update->step_timeout_in_minutes == 30);
  CHECK_FALSE(update->include_job_document);
}

TEST_CASE("service side: expectedVersion as AWS's embedded clients send it, and bad requests") {
  decoder dec;
  CHECK(dec.decode(iotjobs::mqtt::update_request, R"({"status":"SUCCEEDED","expectedVersion":"3"})")
            ->expected_version == 3);
  CHECK(
      dec.decode(iotjobs::mqtt::update_request, R"({"status":"SUCCEEDED","expectedVersion":"x3"})")
          .error() == error::wrong_type);
  CHECK(dec.decode(iotjobs::mqtt::update_request, R"({"status":"QUEUED"})").error() ==
        error::invalid_update_status);
  CHECK(dec.decode(iotjobs::mqtt::update_request, R"({"status":"SUCCESS"})").error() ==
        error::invalid_update_status);  // the AWS prose typo
  CHECK(dec.decode(iotjobs::mqtt::update_request, R"({"expectedVersion":1})").error() ==
        error::missing_field);
  CHECK(dec.decode(iotjobs::mqtt::update_request, "").error() == error::missing_field);
  CHECK(dec.decode(iotjobs::mqtt::update_request,
                   R"({"status":"FAILED","includeJobDocument":"true"})")
            .error() == error::wrong_type);
  CHECK(dec.decode(iotjobs::mqtt::describe_request, R"({"includeJobDocument":tru})").error() ==
        error::invalid_json);
  CHECK(dec.decode(iotjobs::mqtt::get_pending_request, R"({"clientToken":"a"} x)").error() !=
        error::ok);
}

TEST_CASE("round trip: what a device encodes, a service decodes to the same fields") {
  const status_detail details[] = {{"step", "download"}, {"note", "caf\xC3\xA9 \"q\" \\"}};
  update_job_execution_request sent;
  sent.thing_name = "t";
  sent.job_id = "j";
  sent.status = update_status::rejected;
  sent.status_details = details;
  sent.step_timeout_in_minutes = cancel_step_timer;
  sent.expected_version = 0;
  sent.include_job_execution_state = false;
  sent.include_job_document = true;
  sent.execution_number = INT64_MAX;
  sent.client_token = "tok \"1\"";
  char topic[mqtt::max_topic_size];
  char payload[512];
  const auto m = mqtt::encode_to_n(topic, payload, sent);
  REQUIRE(m);
  decoder dec;
  const auto got = dec.decode(iotjobs::mqtt::update_request, m->payload);
  REQUIRE(got);
  CHECK(got->status == sent.status);
  REQUIRE(got->status_details);
  REQUIRE(got->status_details->size() == 2);
  CHECK((*got->status_details)[1].value == details[1].value);
  CHECK(got->step_timeout_in_minutes == sent.step_timeout_in_minutes);
  CHECK(got->expected_version == sent.expected_version);
  CHECK(got->include_job_execution_state == sent.include_job_execution_state);
  CHECK(got->include_job_document == sent.include_job_document);
  CHECK(got->execution_number == sent.execution_number);
  CHECK(got->client_token == sent.client_token);
  const auto parsed = mqtt::parse_topic(m->topic);
  REQUIRE(parsed);
  CHECK(parsed->kind == mqtt::topic_kind::update);
  CHECK(parsed->job_id == sent.job_id);

  describe_job_execution_request d;
  d.thing_name = "t";
  d.job_id = "$next";
  d.include_job_document = false;
  d.execution_number = 0;
  const auto dm = mqtt::encode_to_n(topic, payload, d);
  REQUIRE(dm);
  const auto dg = dec.decode(iotjobs::mqtt::describe_request, dm->payload);
  REQUIRE(dg);
  CHECK(dg->include_job_document == false);
  CHECK(dg->execution_number == 0);
}

TEST_CASE("member names match only in full: a name one byte off is an unknown member") {
  decoder dec;
  const auto timestamps_absent = [](const job_execution_view& x) {
    return !x.queued_at && !x.started_at && !x.last_updated_at &&
           !x.approximate_seconds_before_timed_out && !x.version_number && !x.execution_number;
  };
  for (const std::string name :
       {"queuedAt", "startedAt", "lastUpdatedAt", "approximateSecondsBeforeTimedOut",
        "versionNumber", "executionNumber"}) {
    CAPTURE(name);
    const auto payload = [&](const std::string& key) {
      return R"({"execution":{"jobId":"j","status":"QUEUED",")" + key + R"(":7}})";
    };
    const std::string exact = payload(name);
    const auto r = dec.decode(iotjobs::mqtt::notify_next, exact);
    REQUIRE(r);
    CHECK_FALSE(timestamps_absent(*r->execution));
    for (std::size_t at = 0; at < name.size(); ++at) {
      std::string off = name;
      off[at] = static_cast<char>(off[at] ^ 0x20);  // the other case, or another punctuation
      CAPTURE(off);
      const std::string p = payload(off);
      const auto unknown = dec.decode(iotjobs::mqtt::notify_next, p);
      REQUIRE(unknown);
      CHECK(timestamps_absent(*unknown->execution));
    }
  }
}

}  // namespace test_decoder
