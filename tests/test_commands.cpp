#include "iotjobs/commands.hpp"

#include <doctest/doctest.h>

#include <iterator>
#include <string>
#include <string_view>

#include "iotjobs/messages.hpp"

namespace test_commands {

using namespace iotjobs;
using commands::device_type;
using commands::payload_format;
using commands::topic_kind;

TEST_CASE("commands: parameter names, client tokens, execution ids, client ids") {
  CHECK(is_valid_command_parameter_name("a"));
  CHECK(is_valid_command_parameter_name("$aws.param_1-x"));
  CHECK(is_valid_command_parameter_name(std::string(192, 'p')));
  CHECK_FALSE(is_valid_command_parameter_name(""));
  CHECK_FALSE(is_valid_command_parameter_name(std::string(193, 'p')));
  CHECK_FALSE(is_valid_command_parameter_name("a:b"));
  CHECK_FALSE(is_valid_command_parameter_name("a b"));

  CHECK(is_valid_command_client_token("!"));
  CHECK(is_valid_command_client_token("~"));
  CHECK(is_valid_command_client_token(std::string(64, 'c')));
  CHECK_FALSE(is_valid_command_client_token(""));
  CHECK_FALSE(is_valid_command_client_token(std::string(65, 'c')));
  CHECK_FALSE(is_valid_command_client_token("a b"));    // 0x20, below the range
  CHECK_FALSE(is_valid_command_client_token("a\x7F"));  // DEL, above it
  CHECK_FALSE(is_valid_command_client_token("caf\xC3\xA9"));

  CHECK(is_valid_execution_id("e-1_2"));
  CHECK_FALSE(is_valid_execution_id("e:1"));
  CHECK_FALSE(is_valid_execution_id(std::string(65, 'e')));

  CHECK(is_valid_client_id("client 1:\xC3\xA9"));
  CHECK(is_valid_client_id(std::string(128, 'c')));
  CHECK_FALSE(is_valid_client_id(""));
  CHECK_FALSE(is_valid_client_id(std::string(129, 'c')));
  using namespace std::string_literals;
  for (const std::string& bad : {"a/b"s, "a+"s, "#"s, "a\0b"s, "\xFF"s}) {
    CAPTURE(bad);
    CHECK_FALSE(is_valid_client_id(bad));
  }
}

TEST_CASE("commands: statusReason code and description") {
  CHECK(is_valid_reason_code("A"));
  CHECK(is_valid_reason_code("ERR_42-X"));
  CHECK(is_valid_reason_code(std::string(64, 'Z')));
  CHECK_FALSE(is_valid_reason_code(""));
  CHECK_FALSE(is_valid_reason_code(std::string(65, 'Z')));
  for (const char* bad : {"lower", "A B", "A.B", "A:B", "[", "@"}) {
    CAPTURE(bad);
    CHECK_FALSE(is_valid_reason_code(bad));
  }

  CHECK(is_valid_reason_description(""));
  CHECK(is_valid_reason_description("caf\xC3\xA9 \xE2\x82\xAC ~"));
  CHECK(is_valid_reason_description(std::string(1024, 'd')));
  CHECK(is_valid_reason_description("\xC2\xA0"));  // U+00A0, just past the C1 controls
  CHECK_FALSE(is_valid_reason_description(std::string(1025, 'd')));
  // All of category C, as for statusDetails values: controls, and the format characters U+200B
  // and U+FEFF, private use U+E000, unassigned U+0378; and bytes that are not UTF-8.
  for (const char* bad : {"tab\there", "\x1F", "\x7F", "\xC2\x80", "\xC2\x9F", "\xFF",
                          "a\xE2\x80\x8B"
                          "b",
                          "\xEF\xBB\xBF", "\xEE\x80\x80", "\xCD\xB8"}) {
    CAPTURE(bad);
    CHECK_FALSE(is_valid_reason_description(bad));
  }
}

TEST_CASE("commands: result names are 1-32 of [a-zA-Z0-9_-]") {
  CHECK(is_valid_command_result_name("car_battery"));
  CHECK(is_valid_command_result_name("A-9"));
  CHECK(is_valid_command_result_name(std::string(32, 'r')));
  CHECK_FALSE(is_valid_command_result_name(""));
  CHECK_FALSE(is_valid_command_result_name(std::string(33, 'r')));
  for (const char* bad : {"a b", "a.b", "a:b", "name \"q\"", "caf\xC3\xA9", "$x"}) {
    CAPTURE(bad);
    CHECK_FALSE(is_valid_command_result_name(bad));
  }
}

TEST_CASE("every commands topic, built and parsed back") {
  struct row {
    topic_kind kind;
    device_type device;
    const char* id;
    payload_format format;
    const char* topic;
  };
  const row rows[] = {
      {topic_kind::request, device_type::thing, "T1", payload_format::json,
       "$aws/commands/things/T1/executions/e-1/request/json"},
      {topic_kind::request, device_type::thing, "T1", payload_format::cbor,
       "$aws/commands/things/T1/executions/e-1/request/cbor"},
      {topic_kind::request, device_type::client, "client.1", payload_format::none,
       "$aws/commands/clients/client.1/executions/e-1/request"},
      {topic_kind::response, device_type::thing, "T1", payload_format::json,
       "$aws/commands/things/T1/executions/e-1/response/json"},
      {topic_kind::response, device_type::client, "c", payload_format::cbor,
       "$aws/commands/clients/c/executions/e-1/response/cbor"},
      {topic_kind::response, device_type::thing, "T1", payload_format::none,
       "$aws/commands/things/T1/executions/e-1/response"},
      {topic_kind::response_accepted, device_type::thing, "T1", payload_format::json,
       "$aws/commands/things/T1/executions/e-1/response/accepted/json"},
      {topic_kind::response_accepted, device_type::client, "c", payload_format::none,
       "$aws/commands/clients/c/executions/e-1/response/accepted"},
      {topic_kind::response_rejected, device_type::thing, "T1", payload_format::json,
       "$aws/commands/things/T1/executions/e-1/response/rejected/json"},
      {topic_kind::response_rejected, device_type::client, "c", payload_format::none,
       "$aws/commands/clients/c/executions/e-1/response/rejected"},
      {topic_kind::response_accepted, device_type::thing, "T1", payload_format::cbor,
       "$aws/commands/things/T1/executions/e-1/response/accepted/cbor"},
      {topic_kind::response_rejected, device_type::client, "c", payload_format::cbor,
       "$aws/commands/clients/c/executions/e-1/response/rejected/cbor"},
  };
  for (const row& r : rows) {
    CAPTURE(r.topic);
    char buf[commands::max_topic_size];
    const auto built = commands::build_topic(r.kind, r.device, r.id, "e-1", r.format, buf);
    REQUIRE(built);
    CHECK(*built == r.topic);
    const auto parsed = commands::parse_topic(r.topic);
    REQUIRE(parsed);
    CHECK(parsed->kind == r.kind);
    CHECK(parsed->device == r.device);
    CHECK(parsed->device_id == r.id);
    CHECK(parsed->execution_id == "e-1");
    CHECK(parsed->format == r.format);
  }
}

TEST_CASE("the longest commands topic fits max_topic_size") {
  const std::string client(128, 'c');
  const std::string execution(64, 'e');
  char buf[commands::max_topic_size];
  const auto t = commands::build_topic(topic_kind::response_accepted, device_type::client, client,
                                       execution, payload_format::json, buf);
  REQUIRE(t);
  CHECK(t->size() + 1 == commands::max_topic_size);  // and its NUL
  CHECK(buf[t->size()] == '\0');
  CHECK(commands::parse_topic(*t)->execution_id == execution);
}

TEST_CASE("malformed and foreign commands topics") {
  struct row {
    const char* topic;
    error expected;
  };
  const row rows[] = {
      {"$aws/things/t/jobs/get", error::not_a_jobs_topic},
      {"$aws/commands/devices/t/executions/e/request", error::not_a_jobs_topic},
      {"$aws/commands/things/t", error::invalid_topic},
      {"$aws/commands/things/t/execution/e/request", error::invalid_topic},
      {"$aws/commands/things/t/executions/e", error::invalid_topic},
      {"$aws/commands/things/t/executions/e/", error::invalid_topic},
      {"$aws/commands/things/t/executions/e/request/xml", error::invalid_topic},
      {"$aws/commands/things/t/executions/e/request/json/x", error::invalid_topic},
      {"$aws/commands/things/t/executions/e/response/accepted/xml", error::invalid_topic},
      {"$aws/commands/things/t/executions/e/response/cbor/accepted", error::invalid_topic},
      {"$aws/commands/things/t/executions/e/response/json/accepted", error::invalid_topic},
      {"$aws/commands/things/t/executions/e/reply", error::invalid_topic},
      {"$aws/commands/things//executions/e/request", error::invalid_thing_name},
      {"$aws/commands/things/a.b/executions/e/request", error::invalid_thing_name},
      {"$aws/commands/clients/+/executions/e/request", error::invalid_client_id},
      {"$aws/commands/things/t/executions//request", error::invalid_execution_id},
      {"$aws/commands/things/t/executions/+/request", error::invalid_execution_id},
      {"$aws/commands/things/t/executions/a.b/request", error::invalid_execution_id},
  };
  for (const row& r : rows) {
    CAPTURE(r.topic);
    CHECK(commands::parse_topic(r.topic).error() == r.expected);
  }
  char buf[commands::max_topic_size];
  CHECK(commands::build_topic(topic_kind::request, device_type::client, "a/b", "e",
                              payload_format::json, buf)
            .error() == error::invalid_client_id);
  CHECK(commands::build_topic(topic_kind::response, device_type::thing, "t", "+",
                              payload_format::json, buf)
            .error() == error::invalid_execution_id);  // published: no wildcard
  const auto filter = commands::build_topic(topic_kind::request, device_type::thing, "t", "+",
                                            payload_format::json, buf);
  REQUIRE(filter);
  CHECK(*filter == "$aws/commands/things/t/executions/+/request/json");
}

TEST_CASE("status update: the AWS example, minimal, and every result kind") {
  commands::update_request req;
  req.device = device_type::thing;
  req.device_id = "car-1";
  req.execution_id = "e-1";
  req.status = commands::execution_status::in_progress;
  req.status_reason = commands::status_reason{"200", "Execution_in_progress"};
  const commands::result_entry result[] = {
      {"car_battery", commands::result_value::string("car battery at 50 percent")}};
  req.result = result;
  char topic[commands::max_topic_size];
  char payload[512];
  auto m = commands::encode_to_n(topic, payload, req);
  REQUIRE(m);
  CHECK(m->topic == "$aws/commands/things/car-1/executions/e-1/response/json");
  // The AWS documentation's example, compacted.
  CHECK(
      m->payload ==
      R"({"status":"IN_PROGRESS","statusReason":{"reasonCode":"200","reasonDescription":"Execution_in_progress"},)"
      R"("result":{"car_battery":{"s":"car battery at 50 percent"}}})");

  std::string via_iterator;
  REQUIRE(commands::encode_to(std::back_inserter(via_iterator), req));
  CHECK(via_iterator == m->payload);
  CHECK(commands::encoded_size(req)->payload == m->payload.size());
  CHECK(commands::encoded_size(req)->topic == m->topic.size() + 1);

  commands::update_request minimal;
  minimal.device = device_type::client;
  minimal.device_id = "c";
  minimal.execution_id = "e";
  minimal.status = commands::execution_status::timed_out;
  m = commands::encode_to_n(topic, payload, minimal);
  REQUIRE(m);
  CHECK(m->topic == "$aws/commands/clients/c/executions/e/response/json");
  CHECK(m->payload == R"({"status":"TIMED_OUT"})");
  // The other forms agree, with and without the optional members.
  const auto agree = [&](const commands::update_request& r) {
    const auto fixed = commands::encode_to_n(topic, payload, r);
    REQUIRE(fixed);
    CHECK(commands::encode(r)->payload == fixed->payload);
    CHECK(commands::encoded_size(r)->payload == fixed->payload.size());
    std::string streamed;
    REQUIRE(commands::encode_to(std::back_inserter(streamed), r));
    CHECK(streamed == fixed->payload);
  };
  agree(minimal);
  minimal.status_reason = commands::status_reason{"NO_TEXT", std::nullopt};
  agree(minimal);
  minimal.format = payload_format::cbor;
  agree(minimal);
  minimal.status_reason.reset();
  agree(minimal);
  minimal.format = payload_format::json;

  const commands::result_entry kinds[] = {
      {"ok", commands::result_value::boolean(true)},
      {"raw", commands::result_value::binary(std::string_view("\x01\x02\x03", 3))},
      {"note", commands::result_value::string("say \"q\"")},
  };
  minimal.result = kinds;
  minimal.status = commands::execution_status::succeeded;
  minimal.status_reason = commands::status_reason{"DONE", std::nullopt};
  m = commands::encode_to_n(topic, payload, minimal);
  REQUIRE(m);
  CHECK(
      m->payload ==
      R"({"status":"SUCCEEDED","statusReason":{"reasonCode":"DONE"},"result":{"ok":{"b":true},"raw":{"bin":"AQID"},"note":{"s":"say \"q\""}}})");
  CHECK(commands::encoded_size(minimal)->payload == m->payload.size());
  std::string streamed;
  REQUIRE(commands::encode_to(std::back_inserter(streamed), minimal));
  CHECK(streamed == m->payload);
}

// Bytes as cbor2 (python3-cbor2 5.4) writes the same document with canonical=True, RFC 8949's
// deterministic encoding: maps sorted by encoded key, shortest heads.
std::string from_hex(std::string_view hex) {
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    bytes += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  return bytes;
}

TEST_CASE("status update as CBOR: the AWS example, byte for byte as cbor2 writes it") {
  commands::update_request req;
  req.device_id = "car-1";
  req.execution_id = "e-1";
  req.status_reason = commands::status_reason{"200", "Execution_in_progress"};
  const commands::result_entry result[] = {
      {"car_battery", commands::result_value::string("car battery at 50 percent")}};
  req.result = result;
  req.format = payload_format::cbor;
  char topic[commands::max_topic_size];
  char payload[512];
  const auto m = commands::encode_to_n(topic, payload, req);
  REQUIRE(m);
  CHECK(m->topic == "$aws/commands/things/car-1/executions/e-1/response/cbor");
  CHECK(m->payload ==
        from_hex("a366726573756c74a16b6361725f62617474657279a16173781963617220626174746572792061"
                 "742035302070657263656e74667374617475736b494e5f50524f47524553536c73746174757352"
                 "6561736f6ea26a726561736f6e436f64656332303071726561736f6e4465736372697074696f6e"
                 "75457865637574696f6e5f696e5f70726f6772657373"));
  std::string via_iterator;
  REQUIRE(commands::encode_to(std::back_inserter(via_iterator), req));
  CHECK(via_iterator == m->payload);
  CHECK(commands::encoded_size(req)->payload == m->payload.size());
  CHECK(commands::encode(req)->payload == m->payload);

  // The result names in deterministic order whatever the caller's order (shorter first, then
  // bytewise), `bin` as a byte string, booleans as the simple values, a 300-byte text with a
  // two-byte length.
  const std::string long_text(300, 'x');
  const commands::result_entry kinds[] = {
      {"ok", commands::result_value::boolean(true)},
      {"raw", commands::result_value::binary(std::string_view("\x01\x02\x03", 3))},
      {"note", commands::result_value::string("say \"q\"")},
      {"zz", commands::result_value::boolean(false)},
      {"a_long_name_of_twenty_four", commands::result_value::string(long_text)},
  };
  req.result = kinds;
  req.status = commands::execution_status::succeeded;
  req.status_reason = commands::status_reason{"DONE", std::nullopt};
  const auto all = commands::encode(req);
  REQUIRE(all);
  REQUIRE(all->payload.size() == 433);
  // The other three forms write the same bytes.
  char big[1024];
  CHECK(commands::encode_to_n(topic, big, req)->payload == all->payload);
  CHECK(commands::encoded_size(req)->payload == 433);
  std::string streamed;
  REQUIRE(commands::encode_to(std::back_inserter(streamed), req));
  CHECK(streamed == all->payload);
  CHECK(all->payload.substr(0, 80) ==
        from_hex("a366726573756c74a5626f6ba16162f5627a7aa16162f463726177a16362696e43010203646e6f"
                 "7465a161736773617920227122781a615f6c6f6e675f6e616d655f6f665f7477656e74795f666f"
                 "7572"));
  CHECK(all->payload.substr(433 - 40) ==
        from_hex("695355434345454445446c737461747573526561736f6ea16a726561736f6e436f646564444f4e"
                 "45"));

  // A text of 70000 bytes has a four-byte length: 0x7A 00 01 11 70.
  const std::string huge(70000, 'h');
  const commands::result_entry one[] = {{"h", commands::result_value::string(huge)}};
  req.result = one;
  req.status_reason.reset();
  const auto long_text_payload = commands::encode(req)->payload;
  CHECK(long_text_payload.substr(0, 19) == from_hex("a266726573756c74a16168a161737a00011170"));

  commands::update_request minimal;
  minimal.device_id = "t";
  minimal.execution_id = "e";
  minimal.status = commands::execution_status::timed_out;
  minimal.format = payload_format::cbor;
  CHECK(commands::encode(minimal)->payload == from_hex("a1667374617475736954494d45445f4f5554"));
  minimal.format = payload_format::none;  // the bare `…/response` is not written
  CHECK(commands::check(minimal) == error::invalid_topic);
  minimal.format = static_cast<payload_format>(7);
  CHECK(commands::check(minimal) == error::invalid_topic);
}

TEST_CASE("status update: every field is validated first") {
  commands::update_request req;
  req.device_id = "t";
  req.execution_id = "e";
  char topic[commands::max_topic_size];
  char payload[256];
  const auto fails = [&](error expected) {
    CHECK(commands::encode_to_n(topic, payload, req).error() == expected);
    CHECK(commands::encoded_size(req).error() == expected);
  };
  req.execution_id = "";
  fails(error::invalid_execution_id);
  req.execution_id = "e";
  req.status_reason = commands::status_reason{"lower", std::nullopt};
  fails(error::invalid_status_reason);
  const std::string long_code(65, 'A'), long_text(1025, 'd'), longest_text(1024, 'd');
  req.status_reason = commands::status_reason{long_code, std::nullopt};
  fails(error::invalid_status_reason);
  req.status_reason = commands::status_reason{"OK", std::string_view("line\nbreak")};
  fails(error::invalid_status_reason);
  req.status_reason = commands::status_reason{"OK", long_text};
  fails(error::invalid_status_reason);
  req.status_reason = commands::status_reason{"OK", std::string_view("zero\xE2\x80\x8Bwidth")};
  fails(error::invalid_status_reason);
  req.status_reason = commands::status_reason{"OK", longest_text};
  CHECK(commands::encoded_size(req));
  req.result = list_view<commands::result_entry>{};
  fails(error::invalid_command_result);
  const commands::result_entry no_name[] = {{"", commands::result_value::boolean(true)}};
  req.result = no_name;
  fails(error::invalid_command_result);
  const commands::result_entry empty_bin[] = {{"b", commands::result_value::binary("")}};
  req.result = empty_bin;
  fails(error::invalid_command_result);
  const commands::result_entry bad_utf8[] = {{"s", commands::result_value::string("\xff")}};
  req.result = bad_utf8;
  fails(error::invalid_command_result);
  const commands::result_entry empty_s[] = {{"s", commands::result_value::string("")}};
  req.result = empty_s;
  fails(error::invalid_command_result);
  const commands::result_entry bad_name[] = {{"a.b", commands::result_value::boolean(true)}};
  req.result = bad_name;
  fails(error::invalid_command_result);
  const std::string long_name(33, 'n');
  const commands::result_entry too_long[] = {{long_name, commands::result_value::boolean(true)}};
  req.result = too_long;
  fails(error::invalid_command_result);
  // The result is a map: one name twice would be read as one entry.
  const commands::result_entry twice[] = {{"p", commands::result_value::string("1")},
                                          {"q", commands::result_value::boolean(true)},
                                          {"p", commands::result_value::string("2")}};
  req.result = twice;
  fails(error::duplicate_key);
  req.result.reset();
  req.status_reason.reset();
  // Enum values outside their enumerators: named errors, never an empty status or topic level.
  req.status = static_cast<commands::execution_status>(9);
  fails(error::invalid_update_status);
  req.status = commands::execution_status::succeeded;
  req.device = static_cast<commands::device_type>(7);
  fails(error::invalid_topic);
  req.device = commands::device_type::thing;
  CHECK(commands::check(req) == error::ok);
  CHECK(commands::build_topic(static_cast<topic_kind>(9), device_type::thing, "t", "e",
                              payload_format::json, topic)
            .error() == error::invalid_topic);
  CHECK(commands::build_topic(topic_kind::request, device_type::thing, "t", "e",
                              static_cast<payload_format>(5), topic)
            .error() == error::invalid_topic);
}

TEST_CASE("accepted and rejected replies") {
  decoder dec;
  const auto ok = dec.decode(iotjobs::commands::response_accepted, R"({"executionId":"e-1"})");
  REQUIRE(ok);
  CHECK(ok->execution_id == "e-1");
  CHECK(dec.decode(iotjobs::commands::response_accepted, "{}"));

  const auto no = dec.decode(
      iotjobs::commands::response_rejected,
      R"({"error":"InvalidStateTransition","errorMessage":"already SUCCEEDED","executionId":"e-1"})");
  REQUIRE(no);
  CHECK(no->code == rejection_code::invalid_state_transition);
  CHECK(no->code_text == "InvalidStateTransition");
  CHECK(no->message == "already SUCCEEDED");
  CHECK(no->execution_id == "e-1");
  const auto unknown = dec.decode(iotjobs::commands::response_rejected, R"({"error":"NewCode"})");
  REQUIRE(unknown);
  CHECK(unknown->code == rejection_code::unknown);
  CHECK(unknown->code_text == "NewCode");
  CHECK(dec.decode(iotjobs::commands::response_rejected, R"({"errorMessage":"m"})").error() ==
        error::missing_field);
  // The Jobs shape is not the commands shape.
  CHECK(dec.decode(iotjobs::commands::response_rejected, R"({"code":"InvalidJson"})").error() ==
        error::missing_field);
  CHECK(dec.decode(iotjobs::commands::response_rejected, R"({"error":1})").error() ==
        error::wrong_type);
}

TEST_CASE("commands::decode: a reply on a /cbor topic is unsupported_format, not misread") {
  decoder dec;
  const std::string cbor_reply =
      from_hex("a16b657865637574696f6e4964626531");  // {"executionId":"e1"}
  CHECK(commands::decode(dec, "$aws/commands/things/t/executions/e1/response/accepted/cbor",
                         cbor_reply)
            .error() == error::unsupported_format);
  CHECK(commands::decode(dec, "$aws/commands/things/t/executions/e1/response/rejected/cbor",
                         cbor_reply)
            .error() == error::unsupported_format);
  // A command itself may be CBOR: handed back untouched.
  const auto command =
      commands::decode(dec, "$aws/commands/things/t/executions/e1/request/cbor", cbor_reply);
  REQUIRE(command);
  CHECK(command->get_if<commands::command_view>()->payload == cbor_reply);
}

}  // namespace test_commands
