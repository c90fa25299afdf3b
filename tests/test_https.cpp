#include "iotjobs/https.hpp"

#include <doctest/doctest.h>

#include <iterator>
#include <string>
#include <string_view>

namespace test_https {

using namespace iotjobs;

namespace {

struct encoded {
  std::string method, path, query, content_type;
  std::optional<std::string> body;
};

// Encodes with all four forms and checks that they agree.
template <class Request>
encoded encode(const Request& req) {
  char buf[4096];
  const auto r = https::encode_to_n(buf, req);
  REQUIRE(r);
  encoded e{std::string(r->method), std::string(r->path), std::string(r->query), {}, {}};
  REQUIRE(r->headers.size() <= 1);
  if (!r->headers.empty()) {
    CHECK(r->headers[0].name == "Content-Type");
    e.content_type = std::string(r->headers[0].value);
  }
  if (r->body) e.body = std::string(*r->body);
  CHECK(r->body.has_value() == !r->headers.empty());  // a body always comes with its type

  std::string via_iterator;
  REQUIRE(https::encode_to(std::back_inserter(via_iterator), req));
  CHECK(via_iterator == e.body.value_or(""));
  const auto size = https::encoded_size(req);
  REQUIRE(size);
  CHECK(*size == r->path.size() + r->query.size() + (r->body ? r->body->size() : 0));
  const auto allocated = https::encode(req);
  REQUIRE(allocated);
  CHECK(allocated->method == r->method);
  CHECK(allocated->path == r->path);
  CHECK(allocated->query == r->query);
  CHECK(allocated->body == e.body);
  CHECK(allocated->headers.size() == r->headers.size());
  return e;
}

template <class Request>
error encode_error(const Request& req) {
  char buf[4096];
  const error e = https::encode_to_n(buf, req).error();
  CHECK(https::encoded_size(req).error() == e);
  std::string out;
  CHECK(https::encode_to(std::back_inserter(out), req).error() == e);
  CHECK(out.empty());
  CHECK(https::encode(req).error() == e);
  CHECK(https::check(req) == e);
  return e;
}

}  // namespace

TEST_CASE("DescribeJobExecution: the request captured from the AWS JS v3 client") {
  // GET /things/my%3Athing_1-2/jobs/job-1_a?executionNumber=3&includeJobDocument=false
  describe_job_execution_request req;
  req.thing_name = "my:thing_1-2";
  req.job_id = "job-1_a";
  req.include_job_document = false;
  req.execution_number = 3;
  const encoded e = encode(req);
  CHECK(e.method == "GET");
  CHECK(e.path == "/things/my%3Athing_1-2/jobs/job-1_a");
  CHECK(e.query == "executionNumber=3&includeJobDocument=false");
  CHECK(e.content_type.empty());
  CHECK_FALSE(e.body);
}

TEST_CASE("DescribeJobExecution: $next is a label and is encoded; query parts alone") {
  describe_job_execution_request req;
  req.thing_name = "t";
  req.job_id = "$next";
  CHECK(encode(req).path == "/things/t/jobs/%24next");
  CHECK(encode(req).query.empty());
  req.include_job_document = true;
  CHECK(encode(req).query == "includeJobDocument=true");
  req.include_job_document.reset();
  req.execution_number = -9223372036854775807 - 1;
  CHECK(encode(req).query == "executionNumber=-9223372036854775808");
}

TEST_CASE("GetPendingJobExecutions: no query, no body, no Content-Type") {
  get_pending_job_executions_request req;
  req.thing_name = "t1";
  const encoded e = encode(req);
  CHECK(e.method == "GET");
  CHECK(e.path == "/things/t1/jobs");
  CHECK(e.query.empty());
  CHECK_FALSE(e.body);
  CHECK(e.content_type.empty());
}

TEST_CASE("StartNextPendingJobExecution: the literal $next stays raw; an empty body is {}") {
  start_next_pending_job_execution_request req;
  req.thing_name = "t1";
  encoded e = encode(req);
  CHECK(e.method == "PUT");
  CHECK(e.path == "/things/t1/jobs/$next");
  CHECK(e.content_type == "application/json");
  CHECK(e.body == "{}");
  // Captured: {"statusDetails":{"k":"v"},"stepTimeoutInMinutes":5}
  const status_detail details[] = {{"k", "v"}};
  req.status_details = details;
  req.step_timeout_in_minutes = 5;
  e = encode(req);
  CHECK(e.body == R"({"statusDetails":{"k":"v"},"stepTimeoutInMinutes":5})");
  req.step_timeout_in_minutes = cancel_step_timer;  // only UpdateJobExecution takes -1
  CHECK(encode_error(req) == error::invalid_step_timeout);
}

TEST_CASE("UpdateJobExecution: the request captured from the AWS JS v3 client") {
  update_job_execution_request req;
  req.thing_name = "t1";
  req.job_id = "j1";
  req.status = update_status::succeeded;
  const status_detail details[] = {{"a", "b"}};
  req.status_details = details;
  req.step_timeout_in_minutes = -1;
  req.expected_version = 2;
  req.include_job_execution_state = true;
  req.include_job_document = true;
  req.execution_number = 1;
  const encoded e = encode(req);
  CHECK(e.method == "POST");
  CHECK(e.path == "/things/t1/jobs/j1");
  CHECK(e.query.empty());
  CHECK(e.content_type == "application/json");
  CHECK(e.body ==
        R"({"status":"SUCCEEDED","statusDetails":{"a":"b"},"stepTimeoutInMinutes":-1,)"
        R"("expectedVersion":2,"includeJobExecutionState":true,"includeJobDocument":true,)"
        R"("executionNumber":1})");

  update_job_execution_request minimal;
  minimal.thing_name = "my:thing";
  minimal.job_id = "j";
  minimal.status = update_status::failed;
  CHECK(encode(minimal).path == "/things/my%3Athing/jobs/j");
  CHECK(encode(minimal).body == R"({"status":"FAILED"})");
}

TEST_CASE("StartCommandExecution: the request captured from the AWS JS v3 client") {
  const command_parameter parameters[] = {
      {"s", command_parameter_value::string("hello")},
      {"b", command_parameter_value::boolean(true)},
      {"i", command_parameter_value::int32(5)},
      {"l", command_parameter_value::int64(1234567890123)},
      {"d", command_parameter_value::float64(1.5)},
      {"bin", command_parameter_value::binary(std::string_view("\x01\x02\x03", 3))},
      {"ul", command_parameter_value::uint64(18446744073709551615u)},
  };
  start_command_execution_request req;
  req.target_arn = "arn:aws:iot:us-east-1:123456789012:thing/t1";
  req.command_arn = "arn:aws:iot:us-east-1:123456789012:command/c1";
  req.parameters = parameters;
  req.execution_timeout_seconds = 60;
  req.client_token = "444f8f5d-bf38-417e-a7f0-8741e156b660";
  const encoded e = encode(req);
  CHECK(e.method == "POST");
  CHECK(e.path == "/command-executions");
  CHECK(e.query.empty());
  CHECK(e.content_type == "application/json");
  CHECK(e.body ==
        R"({"targetArn":"arn:aws:iot:us-east-1:123456789012:thing/t1",)"
        R"("commandArn":"arn:aws:iot:us-east-1:123456789012:command/c1",)"
        R"("parameters":{"s":{"S":"hello"},"b":{"B":true},"i":{"I":5},"l":{"L":1234567890123},)"
        R"("d":{"D":1.5},"bin":{"BIN":"AQID"},"ul":{"UL":"18446744073709551615"}},)"
        R"("executionTimeoutSeconds":60,"clientToken":"444f8f5d-bf38-417e-a7f0-8741e156b660"})");
}

TEST_CASE("StartCommandExecution: minimal body, value kinds and base64 padding") {
  start_command_execution_request req;
  req.target_arn = "arn:aws:iot:us-east-1:123456789012:client/c-1";
  req.command_arn = "arn:aws:iot:us-east-1:123456789012:command/reboot";
  CHECK(encode(req).body == R"({"targetArn":"arn:aws:iot:us-east-1:123456789012:client/c-1",)"
                            R"("commandArn":"arn:aws:iot:us-east-1:123456789012:command/reboot"})");

  const auto one = [&](const command_parameter_value& v) {
    const command_parameter p[] = {{"p.$-_1", v}};
    req.parameters = p;
    const std::string body = *encode(req).body;
    const std::string_view key = R"("parameters":{"p.$-_1":)";
    const std::size_t at = body.find(key);
    REQUIRE(at != std::string::npos);
    return body.substr(at + key.size(), body.size() - at - key.size() - 2);
  };
  CHECK(one(command_parameter_value::binary("M")) == R"({"BIN":"TQ=="})");
  CHECK(one(command_parameter_value::binary("Ma")) == R"({"BIN":"TWE="})");
  CHECK(one(command_parameter_value::binary("Man")) == R"({"BIN":"TWFu"})");
  CHECK(one(command_parameter_value::binary(std::string_view("\xff\xfe\x00", 3))) ==
        R"({"BIN":"//4A"})");
  CHECK(one(command_parameter_value::float64(0.1)) == R"({"D":0.1})");
  CHECK(one(command_parameter_value::float64(-2.0)) == R"({"D":-2.0})");
  CHECK(one(command_parameter_value::float64(1e300)) == R"({"D":1e+300})");
  // Shortest text is all digits here, past 64 bits: simdjson (and others) would refuse it as an
  // integer, so it is marked a double. The fuzzer's first find (fuzz/corpus/encode_https).
  CHECK(one(command_parameter_value::float64(784582299621326585856.0)) ==
        R"({"D":784582299621326585856.0})");
  CHECK(one(command_parameter_value::boolean(false)) == R"({"B":false})");
  CHECK(one(command_parameter_value::int32(-2147483647 - 1)) == R"({"I":-2147483648})");
  CHECK(one(command_parameter_value::uint64(0)) == R"({"UL":"0"})");
  CHECK(one(command_parameter_value::string("say \"hi\"")) == R"({"S":"say \"hi\""})");
}

TEST_CASE("StartCommandExecution: every field is validated first") {
  start_command_execution_request req;
  req.target_arn = "arn:aws:iot:us-east-1:123456789012:thing/t1";
  req.command_arn = "arn:aws:iot:us-east-1:123456789012:command/c1";
  CHECK(https::encoded_size(req));

  SUBCASE("arns") {
    req.target_arn = "";
    CHECK(encode_error(req) == error::invalid_target_arn);
    const std::string long_arn(2049, 'a');
    req.target_arn = long_arn;
    CHECK(encode_error(req) == error::invalid_target_arn);
    req.target_arn = "x";
    req.command_arn = "";
    CHECK(encode_error(req) == error::invalid_command_arn);
    req.command_arn = "\xff";
    CHECK(encode_error(req) == error::invalid_command_arn);
  }
  SUBCASE("parameters") {
    req.parameters = list_view<command_parameter>{};  // present but empty: min 1 entry
    CHECK(encode_error(req) == error::invalid_command_parameter);
    const command_parameter bad_name[] = {{"a b", command_parameter_value::boolean(true)}};
    req.parameters = bad_name;
    CHECK(encode_error(req) == error::invalid_command_parameter);
    const std::string long_name(193, 'n');
    const command_parameter too_long[] = {{long_name, command_parameter_value::boolean(true)}};
    req.parameters = too_long;
    CHECK(encode_error(req) == error::invalid_command_parameter);
    const command_parameter empty_s[] = {{"s", command_parameter_value::string("")}};
    req.parameters = empty_s;
    CHECK(encode_error(req) == error::invalid_command_parameter);
    const command_parameter empty_bin[] = {{"b", command_parameter_value::binary("")}};
    req.parameters = empty_bin;
    CHECK(encode_error(req) == error::invalid_command_parameter);
    const command_parameter nan[] = {{"d", command_parameter_value::float64(std::nan(""))}};
    req.parameters = nan;
    CHECK(encode_error(req) == error::invalid_command_parameter);
    const command_parameter inf[] = {{"d", command_parameter_value::float64(HUGE_VAL)}};
    req.parameters = inf;
    CHECK(encode_error(req) == error::invalid_command_parameter);
    const command_parameter twice[] = {{"p", command_parameter_value::string("1")},
                                       {"p", command_parameter_value::string("2")}};
    req.parameters = twice;
    CHECK(encode_error(req) == error::duplicate_key);
  }
  SUBCASE("timeout and token") {
    req.execution_timeout_seconds = 0;
    CHECK(encode_error(req) == error::invalid_execution_timeout);
    req.execution_timeout_seconds = 1;
    req.client_token = "has space";
    CHECK(encode_error(req) == error::invalid_client_token);
    const std::string too_long(65, 't');  // a named string: the request borrows it
    req.client_token = too_long;
    CHECK(encode_error(req) == error::invalid_client_token);
  }
}

TEST_CASE("a client token or namespace, which HTTPS cannot carry, is refused, never dropped") {
  get_pending_job_executions_request g;
  g.thing_name = "t";
  g.client_token = "c1";
  CHECK(encode_error(g) == error::unsupported_field);
  start_next_pending_job_execution_request s;
  s.thing_name = "t";
  s.client_token = "c1";
  CHECK(encode_error(s) == error::unsupported_field);
  describe_job_execution_request d;
  d.thing_name = "t";
  d.job_id = "j";
  d.client_token = "c1";
  CHECK(encode_error(d) == error::unsupported_field);
  update_job_execution_request u;
  u.thing_name = "t";
  u.job_id = "j";
  u.client_token = "c1";
  CHECK(encode_error(u) == error::unsupported_field);
  u.client_token.reset();
  CHECK(encode(u).body == R"({"status":"IN_PROGRESS"})");
  // Nor a Greengrass namespace, which exists in the MQTT topics alone.
  u.namespace_id = "aws-gg-deployment";
  CHECK(encode_error(u) == error::unsupported_field);
  d.client_token.reset();
  d.namespace_id = "aws-gg-deployment";
  CHECK(encode_error(d) == error::unsupported_field);
}

TEST_CASE("an update status outside the enum is refused, never sent as \"\"") {
  update_job_execution_request u;
  u.thing_name = "t";
  u.job_id = "j";
  u.status = static_cast<update_status>(42);
  CHECK(encode_error(u) == error::invalid_update_status);
}

TEST_CASE("Jobs requests refuse bad names before writing") {
  describe_job_execution_request d;
  d.thing_name = "";
  d.job_id = "j";
  CHECK(encode_error(d) == error::invalid_thing_name);  // the JS client sends /things//jobs/j
  d.thing_name = "t";
  d.job_id = "";
  CHECK(encode_error(d) == error::invalid_job_id);
  update_job_execution_request u;
  u.thing_name = "t";
  u.job_id = "$next";
  CHECK(encode_error(u) == error::invalid_job_id);
}

TEST_CASE("path labels are encoded as extendedEncodeURIComponent does") {
  std::string out;
  iotjobs::detail::iterator_sink<std::back_insert_iterator<std::string>> sink{
      std::back_inserter(out)};
  https::detail::write_label(sink, "a b/c!'()*~.");
  CHECK(out == "a%20b%2Fc%21%27%28%29%2A~.");
}

TEST_CASE("a buffer too small reports the size needed") {
  update_job_execution_request req;
  req.thing_name = "t1";
  req.job_id = "j1";
  char small[10];
  const auto r = https::encode_to_n(small, req);
  CHECK(r.error() == error::buffer_too_small);
  CHECK(r.required_size() ==
        std::string_view("/things/t1/jobs/j1{\"status\":\"IN_PROGRESS\"}").size());
}

TEST_CASE("UUID v4 from caller randomness") {
  const unsigned char zeros[16] = {};
  char out[36];
  CHECK(https::format_uuid_v4(zeros, out) == "00000000-0000-4000-8000-000000000000");
  const unsigned char ones[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  CHECK(https::format_uuid_v4(ones, out) == "ffffffff-ffff-4fff-bfff-ffffffffffff");
  const unsigned char bytes[16] = {0x44, 0x4f, 0x8f, 0x5d, 0xbf, 0x38, 0x41, 0x7e,
                                   0xa7, 0xf0, 0x87, 0x41, 0xe1, 0x56, 0xb6, 0x60};
  CHECK(https::format_uuid_v4(bytes, out) == "444f8f5d-bf38-417e-a7f0-8741e156b660");
  CHECK(is_valid_command_client_token(std::string_view(out, 36)));
}

}  // namespace test_https
