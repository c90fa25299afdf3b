// The HTTPS side of iotjobs/decoder.hpp: success bodies, and error resolution
// (docs/wire-protocol.md §6).
#include "iotjobs/decoder.hpp"
#include "iotjobs/messages.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "support.hpp"

namespace test_decoder_https {

using namespace iotjobs;

namespace {

std::string body(std::string_view name) {
  return test::read_file(std::filesystem::path(IOTJOBS_TEST_DATA) / "https" / name);
}

// Decodes an error response with any of the decoders (they share the error path) and returns it.
service_error_view error_of(decoder& dec, int status, std::string_view header,
                            std::string_view text) {
  const auto r = dec.decode(iotjobs::https::update_response, {status, header, text});
  REQUIRE(r);
  CHECK(r->http_status == status);
  CHECK_FALSE(r->value);
  REQUIRE(r->error);
  return *r->error;
}

}  // namespace

TEST_CASE("DescribeJobExecution response: every field, int64 extremes, the document unescaped") {
  decoder dec;
  const auto r =
      dec.decode(iotjobs::https::describe_response, {200, "", body("describe-full.json")});
  REQUIRE(r);
  CHECK(r->http_status == 200);
  CHECK_FALSE(r->error);
  REQUIRE(r->value);
  REQUIRE(r->value->execution);
  const job_execution_view& x = *r->value->execution;
  CHECK(x.job_id == "fw-update_42");
  CHECK(x.thing_name == "my:thing_1-2");
  CHECK(x.status == job_execution_status::in_progress);
  CHECK(x.status_details->find("step") == std::optional<std::string_view>("download"));
  CHECK(x.queued_at == 1700000000);
  CHECK(x.started_at == 1700000060);
  CHECK(x.last_updated_at == 1700000120);
  CHECK(x.approximate_seconds_before_timed_out == INT64_MAX);
  CHECK(x.version_number == 3);
  CHECK(x.execution_number == INT64_MIN);
  REQUIRE(x.job_document);
  // The JSON string is unescaped once: the view holds the document's own JSON text.
  CHECK(x.job_document->json() ==
        R"({"operation":"install","url":"https://example.com/fw.bin","note":"caf\u00e9 \"q\""})");
  CHECK_FALSE(r->value->timestamp);  // the MQTT envelope is absent over HTTPS
  CHECK_FALSE(r->value->client_token);
}

// The benchmark's REST payload (bench/): a firmware document of 631 bytes, sent as a string.
TEST_CASE("DescribeJobExecution response with a firmware job document") {
  decoder dec;
  const auto r =
      dec.decode(iotjobs::https::describe_response, {200, "", body("describe-firmware.json")});
  REQUIRE(r);
  REQUIRE(r->value);
  REQUIRE(r->value->execution);
  const job_execution_view& x = *r->value->execution;
  CHECK(x.job_id == "fw-2_4_1-fleet-a");
  CHECK(x.status_details->find("step") ==
        std::optional<std::string_view>("downloading \"app-2.4.1.bin\""));
  CHECK(x.approximate_seconds_before_timed_out == 540);
  REQUIRE(x.job_document);
  CHECK(x.job_document->json().size() == 631);
  CHECK(x.job_document->json().substr(0, 30) == R"({"operation":"firmware-update")");
}

TEST_CASE("the other operations' responses") {
  decoder dec;
  const auto pending =
      dec.decode(iotjobs::https::get_pending_response, {200, "", body("get_pending-full.json")});
  REQUIRE(pending);
  REQUIRE(pending->value);
  CHECK(pending->value->in_progress_jobs.size() == 1);
  CHECK(pending->value->in_progress_jobs[0].started_at == 1700000010);
  CHECK(pending->value->queued_jobs[0].job_id == "job-b");

  const auto next =
      dec.decode(iotjobs::https::start_next_response, {200, "", body("start_next-full.json")});
  REQUIRE(next);
  REQUIRE(next->value->execution);
  CHECK(next->value->execution->job_document->json() == R"({"operation":"reboot"})");
  CHECK(next->value->execution->version_number == 2);

  const auto update =
      dec.decode(iotjobs::https::update_response, {200, "", body("update-full.json")});
  REQUIRE(update);
  CHECK(update->value->execution_state->status == job_execution_status::succeeded);
  CHECK(update->value->execution_state->version_number == 3);
  CHECK(update->value->job_document->json() == R"({"operation":"reboot"})");

  const auto command = dec.decode(iotjobs::https::start_command_response,
                                  {200, "", body("start_command-full.json")});
  REQUIRE(command);
  CHECK(command->value->execution_id == "2bd65c51-4cfd-49e4-9310-d5cbfdbc8554");
  CHECK(dec.decode(iotjobs::https::start_command_response, {200, "", "{}"}).error() ==
        error::missing_field);
}

TEST_CASE("a 2xx body with members it does not know, none of them Output, is a value") {
  decoder dec;
  const auto r =
      dec.decode(iotjobs::https::start_next_response,
                 {200, "", R"({"extra":{"a":[1]},"execution":{"jobId":"j","status":"QUEUED"}})"});
  REQUIRE(r);
  REQUIRE(r->value);
  REQUIRE(r->value->execution);
  CHECK(r->value->execution->job_id == "j");
}

TEST_CASE("an empty 2xx body is an empty result; absent and unknown fields") {
  decoder dec;
  for (std::string_view empty : {"", " ", "\r\n"}) {
    const auto r = dec.decode(iotjobs::https::start_next_response, {200, "", empty});
    REQUIRE(r);
    REQUIRE(r->value);
    CHECK_FALSE(r->value->execution);  // nothing pending
  }
  const auto r = dec.decode(
      iotjobs::https::describe_response,
      {200, "",
       R"({"execution":{"jobId":"j","status":"QUEUED","newField":{"x":[1]}},"extra":true})"});
  REQUIRE(r);
  CHECK(r->value->execution->job_id == "j");
  CHECK_FALSE(r->value->execution->started_at);
  CHECK_FALSE(r->value->execution->job_document);
  CHECK(dec.decode(iotjobs::https::describe_response, {204, "", ""})->value);
}

TEST_CASE("a bad success body is a decode error, never a partial success") {
  decoder dec;
  CHECK(dec.decode(iotjobs::https::describe_response,
                   {200, "",
                    R"({"execution":{"jobId":"j","status":"QUEUED","jobDocument":"{\"a\":tru}"}})"})
            .error() == error::invalid_json);
  CHECK(dec.decode(iotjobs::https::describe_response,
                   {200, "",
                    R"({"execution":{"jobId":"j","status":"QUEUED","jobDocument":"not json"}})"})
            .error() == error::invalid_json);
  CHECK(dec.decode(iotjobs::https::describe_response, {200, "", R"({"execution":)"}).error() ==
        error::invalid_json);
  CHECK(dec.decode(iotjobs::https::describe_response, {200, "", R"([])"}).error() ==
        error::wrong_type);
  CHECK(dec.decode(iotjobs::https::describe_response, {200, "", "{} {}"}).error() ==
        error::trailing_content);
}

TEST_CASE("error name: the x-amzn-ErrorType header comes first and is sanitized") {
  decoder dec;
  service_error_view e = error_of(
      dec, 404,
      "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.iot.laser/",
      R"({"code":"ThrottlingException","message":"no such job"})");
  CHECK(e.name == "ResourceNotFoundException");
  CHECK(e.type == service_exception::resource_not_found);
  CHECK(e.fault == fault::client);
  CHECK(e.message == "no such job");
}

TEST_CASE("error name: else the first body key named code in any letter case") {
  decoder dec;
  CHECK(error_of(dec, 400, "", R"({"code":"InvalidRequestException"})").type ==
        service_exception::invalid_request);
  CHECK(error_of(dec, 400, "", R"({"Code":"InvalidRequestException"})").type ==
        service_exception::invalid_request);
  CHECK(error_of(dec, 400, "", R"({"CODE":"InvalidRequestException"})").type ==
        service_exception::invalid_request);
  CHECK(
      error_of(dec, 400, "", R"({"cODe":"ValidationException","code":"ConflictException"})").type ==
      service_exception::validation);  // the first one counts
  // code beats __type
  CHECK(error_of(dec, 400, "", R"({"__type":"ConflictException","code":"ValidationException"})")
            .type == service_exception::validation);
  // a null code is no code: __type decides
  CHECK(error_of(dec, 409, "", R"({"code":null,"__type":"ConflictException"})").type ==
        service_exception::conflict);
  // a numeric code is its text
  const service_error_view numeric = error_of(dec, 503, "", R"({"code":503})");
  CHECK(numeric.name == "503");
  CHECK(numeric.type == service_exception::unknown);
  CHECK(numeric.fault == fault::server);
}

TEST_CASE("error name: else __type, matched exactly") {
  decoder dec;
  CHECK(error_of(dec, 410, "",
                 R"({"__type":"com.amazonaws.iotjobsdataplane#TerminalStateException"})")
            .type == service_exception::terminal_state);
  const service_error_view upper = error_of(dec, 410, "", R"({"__TYPE":"TerminalStateException"})");
  CHECK(upper.name == "Unknown");
  CHECK(upper.type == service_exception::unknown);
}

TEST_CASE("sanitizing: cut at ',', then at ':', then keep what follows '#'") {
  CHECK(sanitize_error_code("InvalidRequestException,foo") == "InvalidRequestException");
  CHECK(sanitize_error_code("ResourceNotFoundException:http://x/") == "ResourceNotFoundException");
  CHECK(sanitize_error_code("com.amazonaws.iotjobsdataplane#TerminalStateException") ==
        "TerminalStateException");
  CHECK(sanitize_error_code("a#TerminalStateException#b") == "TerminalStateException");
  CHECK(sanitize_error_code("x:y#z,w") == "x");  // ',' first, then ':'
  CHECK(sanitize_error_code("ns#Name:suffix") == "Name");
  CHECK(sanitize_error_code("Plain") == "Plain");
  CHECK(sanitize_error_code("") == "");
}

TEST_CASE("no name at all: Unknown, with the fault from the status") {
  decoder dec;
  service_error_view e = error_of(dec, 503, "", "");
  CHECK(e.name == "Unknown");
  CHECK(e.type == service_exception::unknown);
  CHECK(e.fault == fault::server);
  CHECK_FALSE(e.message);
  e = error_of(dec, 404, "", R"({"message":"gone"})");
  CHECK(e.name == "Unknown");
  CHECK(e.fault == fault::client);
  CHECK(e.message == "gone");
  e = error_of(dec, 418, "SomethingNewException", "");
  CHECK(e.name == "SomethingNewException");
  CHECK(e.type == service_exception::unknown);
  CHECK(e.fault == fault::client);
  CHECK(error_of(dec, 500, "SomethingNewException", "").fault == fault::server);
}

TEST_CASE("message, else Message") {
  decoder dec;
  CHECK(error_of(dec, 400, "InvalidRequestException", R"({"Message":"capital"})").message ==
        "capital");
  CHECK(error_of(dec, 400, "InvalidRequestException", R"({"Message":"capital","message":"lower"})")
            .message == "lower");
}

TEST_CASE("each of the 11 exceptions, with its fields") {
  decoder dec;
  struct row {
    const char* name;
    service_exception type;
    int status;
    fault f;
  };
  const row rows[] = {
      {"CertificateValidationException", service_exception::certificate_validation, 400,
       fault::client},
      {"InvalidRequestException", service_exception::invalid_request, 400, fault::client},
      {"ValidationException", service_exception::validation, 400, fault::client},
      {"ServiceQuotaExceededException", service_exception::service_quota_exceeded, 402,
       fault::client},
      {"ResourceNotFoundException", service_exception::resource_not_found, 404, fault::client},
      {"ConflictException", service_exception::conflict, 409, fault::client},
      {"InvalidStateTransitionException", service_exception::invalid_state_transition, 409,
       fault::client},
      {"TerminalStateException", service_exception::terminal_state, 410, fault::client},
      {"ThrottlingException", service_exception::throttling, 429, fault::client},
      {"InternalServerException", service_exception::internal_server, 500, fault::server},
      {"ServiceUnavailableException", service_exception::service_unavailable, 503, fault::server},
  };
  for (const row& r : rows) {
    CAPTURE(r.name);
    const service_error_view e = error_of(dec, r.status, r.name, R"({"message":"m"})");
    CHECK(e.type == r.type);
    CHECK(e.name == r.name);
    CHECK(e.fault == r.f);
    CHECK(e.message == "m");
    CHECK(http_status_of(r.type) == r.status);
    CHECK(to_wire(r.type) == r.name);
  }

  const service_error_view conflict =
      error_of(dec, 409, "", R"({"__type":"ConflictException","message":"m","resourceId":"r-1"})");
  CHECK(conflict.resource_id == "r-1");

  const service_error_view throttled =
      error_of(dec, 429, "ThrottlingException", R"({"message":"slow down","payload":"AQID"})");
  CHECK(throttled.payload == "AQID");

  const service_error_view transition = error_of(
      dec, 409, "InvalidStateTransitionException",
      R"({"message":"bad","executionState":{"status":"SUCCEEDED","statusDetails":{"k":"v"},"versionNumber":4}})");
  REQUIRE(transition.execution_state);
  CHECK(transition.execution_state->status == job_execution_status::succeeded);
  CHECK(transition.execution_state->version_number == 4);
  CHECK(transition.execution_state->status_details->find("k") ==
        std::optional<std::string_view>("v"));
}

TEST_CASE("the type comes from the name, never from the status") {
  decoder dec;
  // AWS's API pages say 400 for throttling; the models say 429. Both are throttling.
  CHECK(error_of(dec, 400, "ThrottlingException", "").type == service_exception::throttling);
  CHECK(error_of(dec, 429, "ThrottlingException", "").type == service_exception::throttling);
  CHECK(error_of(dec, 404, "", R"({"code":"ConflictException"})").type ==
        service_exception::conflict);
}

TEST_CASE("a 200 whose body has the error shape is an error, not success") {
  decoder dec;
  const auto r = dec.decode(
      iotjobs::https::update_response,
      {200, "",
       R"({"Output":{"__type":"com.amazon.coral.service#UnknownOperationException","message":null},"Version":"1.0"})"});
  REQUIRE(r);
  CHECK_FALSE(r->value);
  REQUIRE(r->error);
  CHECK(r->error->name == "UnknownOperationException");
  CHECK(r->error->type == service_exception::unknown);
  CHECK(r->error->fault == fault::client);
  CHECK(r->error->http_status == 200);
  CHECK_FALSE(r->error->message);

  // A member named Output that is not that shape leaves a success alone.
  const auto ok = dec.decode(iotjobs::https::update_response,
                             {200, "", R"({"Output":5,"executionState":{"status":"QUEUED"}})"});
  REQUIRE(ok);
  REQUIRE(ok->value);
  CHECK(ok->value->execution_state->status == job_execution_status::queued);

  // The text Output in string values, quoted or not, is no error either.
  for (const char* body :
       {R"({"executionState":{"status":"QUEUED","statusDetails":{"a":"xOutput","b":"Output"}}})",
        R"({"executionState":{"status":"QUEUED","statusDetails":{"Output":"1"}}})"}) {
    CAPTURE(body);
    const auto r = dec.decode(iotjobs::https::update_response, {200, "", body});
    REQUIRE(r);
    REQUIRE(r->value);
    CHECK_FALSE(r->error);
    CHECK(r->value->execution_state->status_details->size() >= 1);
  }
}

TEST_CASE("a malformed error body is a decode error") {
  decoder dec;
  CHECK(dec.decode(iotjobs::https::describe_response, {500, "", "<html>Bad Gateway</html>"})
            .error() == error::invalid_json);
  CHECK(dec.decode(iotjobs::https::describe_response, {400, "", R"({"message":"m")"}).error() ==
        error::invalid_json);
  CHECK(dec.decode(iotjobs::https::describe_response, {400, "", R"({"message":5})"}).error() ==
        error::wrong_type);
  CHECK(dec.decode(iotjobs::https::describe_response, {400, "", R"({"message":"a","message":"b"})"})
            .error() == error::duplicate_field);
  // A code that is a number out of range, or not JSON at all.
  CHECK(dec.decode(iotjobs::https::describe_response, {400, "", R"({"code":1e999})"}).error() ==
        error::number_out_of_range);
  CHECK(dec.decode(iotjobs::https::describe_response, {400, "", R"({"code":tru})"}).error() ==
        error::invalid_json);
  // A 2xx whose Output is not the error shape is read as the value, Output an unknown member.
  for (const std::string_view output :
       {R"({"Output":{"__type":5}})", R"({"Output":{"message":[]}})"}) {
    const auto r = dec.decode(iotjobs::https::describe_response, {200, "", output});
    REQUIRE(r);
    CHECK(r->value);
    CHECK_FALSE(r->error);
  }
}

TEST_CASE("error name: keys like code, but not it, are ordinary members") {
  decoder dec;
  // Same length, one letter off; longer; shorter: none of them names the error.
  const service_error_view e =
      error_of(dec, 409, "", R"({"cod1":"X","codes":"Y","cod":"Z","__type":"ConflictException"})");
  CHECK(e.type == service_exception::conflict);
  CHECK(e.name == "ConflictException");
}

TEST_CASE("the header counts toward the size limit with the body") {
  decoder dec;
  const std::string body = "{\"message\":\"" + std::string(max_payload_size - 14, 'm') + "\"}";
  REQUIRE(body.size() == max_payload_size);
  CHECK(dec.decode(iotjobs::https::describe_response, {400, "", body}));
  CHECK(dec.decode(iotjobs::https::describe_response, {400, "ValidationException", body}).error() ==
        error::payload_too_large);
}

TEST_CASE("the header value is the decoder's own copy") {
  decoder dec;
  auto* header = new std::string("TerminalStateException");
  const auto r = dec.decode(iotjobs::https::describe_response, {410, *header, ""});
  header->assign(header->size(), '#');
  delete header;
  REQUIRE(r);
  CHECK(r->error->name == "TerminalStateException");
}

TEST_CASE("every strict prefix of every golden body fails cleanly") {
  decoder dec;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(IOTJOBS_TEST_DATA) / "https")) {
    if (entry.path().extension() != ".json") continue;
    const std::string text = test::read_file(entry.path());
    const std::string name = entry.path().filename().string();
    CAPTURE(name);
    const auto decode = [&](std::string_view b) {
      const std::string op = name.substr(0, name.find('-'));
      if (op == "describe")
        return dec.decode(iotjobs::https::describe_response, {200, "", b}).error();
      if (op == "get_pending")
        return dec.decode(iotjobs::https::get_pending_response, {200, "", b}).error();
      if (op == "start_next")
        return dec.decode(iotjobs::https::start_next_response, {200, "", b}).error();
      if (op == "update") return dec.decode(iotjobs::https::update_response, {200, "", b}).error();
      if (op == "start_command")
        return dec.decode(iotjobs::https::start_command_response, {200, "", b}).error();
      return error::invalid_topic;
    };
    REQUIRE(decode(text) == error::ok);
    for (std::size_t n = 1; n < text.size(); ++n) {  // n = 0 is the empty body: a success
      const std::string_view prefix(text.data(), n);
      if (detail::trim_right(prefix) == detail::trim_right(text)) continue;
      CAPTURE(n);
      CHECK(decode(prefix) != error::ok);
    }
  }
}

}  // namespace test_decoder_https
