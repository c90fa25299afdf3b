// Job documents (documents.hpp): the golden documents of tests/data/documents, each rule of the
// Device Client's schema, its legacy one, the managed templates and afr_ota with its error and
// member, kind detection, the presigned URL helpers, the statusDetails builder and the OTA keys.
#include "iotjobs/documents.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "iotjobs/messages.hpp"
#include "support.hpp"

namespace test_documents {

namespace docs = iotjobs::documents;
using iotjobs::error;

std::string document_file(std::string_view name) {
  return test::read_file(std::filesystem::path(IOTJOBS_TEST_DATA) / "documents" / name);
}

// The error and the member it names, or "ok".
std::string failure(iotjobs::decoder& dec, std::string_view json) {
  const auto r = dec.decode(docs::job_document, json);
  if (r) return "ok";
  return std::string(iotjobs::name(r.error())) + " " + std::string(dec.last_error_field());
}

std::vector<std::string> arguments(const docs::command_view& c) {
  return std::vector<std::string>(c.begin(), c.end());
}

// A Device Client document of one action whose members are `action`.
std::string one_action(std::string_view action) {
  return R"({"version":"1.0","steps":[{"action":{)" + std::string(action) + "}}]}";
}

// An afr_ota document with `files` and the protocols and stream given.
std::string ota(std::string_view files,
                std::string_view head = R"("protocols":["MQTT"],"streamname":"s")") {
  return R"({"afr_ota":{)" + std::string(head) + R"(,"files":[)" + std::string(files) + "]}}";
}

TEST_CASE("the golden documents: each of its kind and template, with its members") {
  iotjobs::decoder dec;
  struct golden {
    const char* file;
    docs::kind kind;
    docs::managed_template aws;
  };
  for (const golden g : {
           golden{"aws-download-file.json", docs::kind::device_client,
                  docs::managed_template::download_file},
           {"aws-install-application.json", docs::kind::device_client,
            docs::managed_template::install_application},
           {"aws-remove-application.json", docs::kind::device_client,
            docs::managed_template::remove_application},
           {"aws-restart-application.json", docs::kind::device_client,
            docs::managed_template::restart_application},
           {"aws-start-application.json", docs::kind::device_client,
            docs::managed_template::start_application},
           {"aws-stop-application.json", docs::kind::device_client,
            docs::managed_template::stop_application},
           {"aws-reboot.json", docs::kind::device_client, docs::managed_template::reboot},
           {"aws-run-command.json", docs::kind::device_client, docs::managed_template::run_command},
           {"device-client-steps.json", docs::kind::device_client, docs::managed_template::none},
           {"legacy.json", docs::kind::legacy_device_client, docs::managed_template::none},
           {"ota-mqtt.json", docs::kind::afr_ota, docs::managed_template::none},
           {"ota-http-files.json", docs::kind::afr_ota, docs::managed_template::none},
           {"unknown.json", docs::kind::unknown, docs::managed_template::none},
       }) {
    CAPTURE(g.file);
    const std::string text = document_file(g.file);
    const auto r = dec.decode(docs::job_document, text);
    REQUIRE(r);
    CHECK(r->kind == g.kind);
    CHECK((r->device_client() != nullptr) ==
          (g.kind == docs::kind::device_client || g.kind == docs::kind::legacy_device_client));
    CHECK((r->afr_ota() != nullptr) == (g.kind == docs::kind::afr_ota));
    if (const auto* d = r->device_client()) CHECK(d->aws_template == g.aws);
  }

  const std::string download = document_file("aws-download-file.json");
  auto r = dec.decode(docs::job_document, download);
  REQUIRE(r);
  const docs::action_view& a = r->device_client()->steps[0];
  CHECK(a.type == docs::action_type::run_handler);
  CHECK(a.handler == "download-file.sh");
  REQUIRE(a.args.size() == 2);
  CHECK(docs::is_presigned_url(a.args[0]));
  CHECK(docs::presigned_url_expiry(a.args[0]).value_or(0) == 1796123700);  // 10:15Z + 3600 s
  CHECK(a.args[1] == "/var/lib/firmware/v2.bin");
  CHECK(a.location() == docs::handler_location::directory);
  CHECK(a.path == "/opt/jobs/handlers");
  CHECK(a.run_as_user == "firmware");
  CHECK(to_string(docs::managed_template::download_file) == "AWS-Download-File");

  const std::string reboot = document_file("aws-reboot.json");
  r = dec.decode(docs::job_document, reboot);
  REQUIRE(r);
  CHECK(r->device_client()->steps[0].args.empty());
  CHECK(r->device_client()->steps[0].location() == docs::handler_location::search_path);

  const std::string install = document_file("aws-install-application.json");
  r = dec.decode(docs::job_document, install);
  REQUIRE(r);
  CHECK(r->device_client()->steps[0].args[0] == "nginx curl");  // one element, space-separated
  CHECK(r->device_client()->steps[0].location() == docs::handler_location::handler_directory);
  CHECK(r->device_client()->steps[0].run_as_user.empty());

  const std::string command = document_file("aws-run-command.json");
  r = dec.decode(docs::job_document, command);
  REQUIRE(r);
  CHECK(arguments(r->device_client()->steps[0].command) ==
        std::vector<std::string>{"/usr/bin/printf", "%s,%s\\n", "first", "second"});

  const std::string steps = document_file("device-client-steps.json");
  r = dec.decode(docs::job_document, steps);
  REQUIRE(r);
  const docs::device_client_view& d = *r->device_client();
  CHECK(d.include_std_out);
  REQUIRE(d.conditions.size() == 2);
  CHECK(d.conditions[0].key == "operatingSystem");
  CHECK(
      std::vector<std::string_view>(d.conditions[0].values.begin(), d.conditions[0].values.end()) ==
      std::vector<std::string_view>{"ubuntu", "debian"});
  CHECK(d.conditions[1].type == "stringEqual");  // the default
  REQUIRE(d.steps.size() == 2);                  // the step without an action is skipped
  CHECK(d.steps[0].name == "Stop Service");
  CHECK(d.steps[0].ignore_step_failure);
  CHECK(d.steps[1].allow_std_err == 2);
  CHECK(!d.steps[1].ignore_step_failure);
  REQUIRE(d.final_step);
  CHECK(arguments(d.final_step->command) ==
        std::vector<std::string>{"systemctl", "start", "app.service"});

  const std::string legacy = document_file("legacy.json");
  r = dec.decode(docs::job_document, legacy);
  REQUIRE(r);
  const docs::device_client_view& l = *r->device_client();
  CHECK(l.version.empty());
  CHECK(l.include_std_out);
  REQUIRE(l.steps.size() == 1);
  CHECK(l.steps[0].name == "install-packages.sh");
  CHECK(l.steps[0].handler == "install-packages.sh");
  CHECK(l.steps[0].type == docs::action_type::run_handler);
  CHECK(l.steps[0].args.size() == 2);
  CHECK(l.steps[0].allow_std_err == 1);
  CHECK(l.steps[0].location() == docs::handler_location::handler_directory);

  const std::string mqtt = document_file("ota-mqtt.json");
  r = dec.decode(docs::job_document, mqtt);
  REQUIRE(r);
  const docs::afr_ota_view& o = *r->afr_ota();
  CHECK(o.protocol_count == 1);
  CHECK(o.offers(docs::ota_protocol::mqtt));
  CHECK(!o.offers(docs::ota_protocol::http));
  CHECK(o.stream_name == "AFR_OTA-3f2a8c1e-5b6d-4e7f-9a0b-1c2d3e4f5a6b");
  REQUIRE(o.files.size() == 1);
  CHECK(o.files[0].file_size == 182272);
  CHECK(o.files[0].cert_file == "/certs/code-signing.crt");
  CHECK(o.files[0].signature_key == "sig-sha256-ecdsa");
  char signature[docs::max_signature_size];
  CHECK(docs::decode_signature(o.files[0].signature, signature).value_or(0) == 71);
  CHECK(static_cast<unsigned char>(signature[0]) == 0x30);  // a DER SEQUENCE: an ECDSA signature

  const std::string http = document_file("ota-http-files.json");
  r = dec.decode(docs::job_document, http);
  REQUIRE(r);
  const docs::afr_ota_view& h = *r->afr_ota();
  CHECK(h.protocol_count == 2);
  CHECK(h.protocols[0] == docs::ota_protocol::http);  // in the order listed
  CHECK(h.protocols[1] == docs::ota_protocol::mqtt);
  REQUIRE(h.files.size() == 3);
  CHECK(h.files[0].cert_file.empty());  // null: absent
  CHECK(h.files[0].signature_key == "sig-sha256-rsa");
  CHECK(docs::decode_signature(h.files[0].signature, signature).value_or(0) == 32);
  CHECK(h.files[1].signature_key.empty());  // "sig--": null
  CHECK(h.files[1].attr == 3u);
  CHECK(h.files[1].file_type == 7);
  CHECK(h.files[2].file_id == 255);
  CHECK(h.files[2].file_path.empty());
  CHECK(h.files[2].auth_scheme == "aws.s3.presigned");
  CHECK(docs::presigned_url_expiry(h.files[2].update_data_url).value_or(0) ==
        1796112000 + 60);  // 2026-12-01T08:00:00Z + 60 s
}

TEST_CASE("every managed template's document, broken: the error and the member") {
  iotjobs::decoder dec;
  // The document without the white space between its tokens, so that one edit fits every file.
  const auto compact = [](const std::string& json) {
    std::string out;
    bool in_string = false;
    for (std::size_t i = 0; i < json.size(); ++i) {
      const char c = json[i];
      if (in_string && c == '\\') {
        out += json.substr(i++, 2);
        continue;
      }
      if (!in_string && (c == ' ' || c == '\n' || c == '\t' || c == '\r')) continue;
      if (c == '"') in_string = !in_string;
      out += c;
    }
    return out;
  };
  const auto replaced = [](std::string text, std::string_view from, std::string_view to) {
    const std::size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
  };
  for (const char* file :
       {"aws-download-file.json", "aws-install-application.json", "aws-remove-application.json",
        "aws-restart-application.json", "aws-start-application.json", "aws-stop-application.json",
        "aws-reboot.json", "aws-run-command.json"}) {
    CAPTURE(file);
    const std::string text = compact(document_file(file));
    REQUIRE(failure(dec, text) == "ok");
    const bool command = text.find("runCommand") != std::string::npos;
    const std::string type = command ? "\"runCommand\"" : "\"runHandler\"";
    CHECK(failure(dec, replaced(text, type, "\"runScript\"")) == "invalid_action_type type");
    CHECK(failure(dec, replaced(text, "\"type\"", "\"kind\"")) == "missing_field type");
    CHECK(failure(dec, replaced(text, "\"input\"", "\"inputs\"")) == "missing_field input");
    CHECK(failure(dec, replaced(text, "\"version\"", "\"versions\"")) == "missing_field version");
    CHECK(failure(dec, replaced(text, "\"steps\":[", "\"steps\":[1,")) == "wrong_type steps");
    if (command) {
      CHECK(failure(dec, replaced(text, "\"command\":\"", "\"command\":\" ,")) ==
            "invalid_command command");
      CHECK(failure(dec, replaced(text, "\"command\":\"", "\"command\":1,\"x\":\"")) ==
            "wrong_type command");
    } else {
      CHECK(failure(dec, replaced(text, "\"handler\"", "\"handlers\"")) == "missing_field handler");
      CHECK(failure(dec, replaced(text, "\"path\"", "\"path\":1,\"x\"")) == "wrong_type path");
    }
    if (text.find("\"args\"") != std::string::npos)
      CHECK(failure(dec, replaced(text, "\"args\":[", "\"args\":[1,")) == "wrong_type args");
  }
}

TEST_CASE("a document inside a decoded message reads as one, over MQTT and over HTTPS") {
  iotjobs::decoder outer, inner;
  const std::string payload =
      R"({"timestamp":1,"execution":{"jobId":"j","status":"QUEUED","versionNumber":1,)"
      R"("executionNumber":1,"jobDocument":{"operation":"reboot.sh"}}})";
  const auto m = outer.decode(iotjobs::mqtt::notify_next, payload);
  REQUIRE(m);
  auto doc = inner.decode(docs::job_document, m->execution->job_document->json());
  REQUIRE(doc);
  CHECK(doc->kind == docs::kind::legacy_device_client);
  CHECK(doc->device_client()->steps[0].name == "reboot.sh");

  const auto response =
      outer.decode(iotjobs::https::describe_response,
                   iotjobs::https::raw_response{200,
                                                {},
                                                R"({"execution":{"jobId":"j","status":"QUEUED",)"
                                                R"("jobDocument":"{\"afr_ota\":{\"protocols\":)"
                                                R"([\"MQTT\"],\"streamname\":\"s\",\"files\":)"
                                                R"([{\"filesize\":1,\"fileid\":0}]}}"}})"});
  REQUIRE(response);
  REQUIRE(response->value);
  doc = inner.decode(docs::job_document, response->value->execution->job_document->json());
  REQUIRE(doc);
  CHECK(doc->kind == docs::kind::afr_ota);
}

TEST_CASE("kind detection: afr_ota, then operation without a version, then steps; else unknown") {
  iotjobs::decoder dec;
  const auto kind = [&](std::string_view json) {
    const auto r = dec.decode(docs::job_document, json);
    return r ? to_string(r->kind) : iotjobs::name(r.error());
  };
  CHECK(kind(R"({"steps":1,"afr_ota":{"protocols":["MQTT"],"streamname":"s",)"
             R"("files":[{"filesize":1,"fileid":0}]}})") == "afr_ota");  // steps is not ours
  CHECK(kind(R"({"afr_ota":null,"hello":1})") == "unknown");             // null: absent
  CHECK(kind(R"({"steps":null,"operation":"x"})") == "legacy_device_client");
  // operation without a version: the legacy schema, steps or not, as the Device Client reads it.
  CHECK(kind(R"({"steps":[],"operation":"x"})") == "legacy_device_client");
  CHECK(kind(R"({"steps":[],"operation":"x","version":"1.0"})") == "missing_field");  // new schema
  CHECK(kind(R"({"steps":[],"version":""})") == "missing_field");
  CHECK(kind(R"({"operation":"x","version":""})") == "legacy_device_client");  // "" is none
  CHECK(kind(R"({"operation":"x","version":1})") == "legacy_device_client");   // not a string
  CHECK(kind(R"({"operation":"x","version":"2"})") == "unknown");              // neither schema
  CHECK(kind(R"({"version":"1.0"})") == "unknown");                            // no steps
  CHECK(kind(R"({})") == "unknown");
  CHECK(kind(R"({"a":[1,{"b":null}],"c":"\u00e9"})") == "unknown");
  // Someone else's document is still checked JSON, in full.
  CHECK(kind(R"({"a":[1,tru]})") == "invalid_json");
  CHECK(kind("{\"a\":\"\xff\"}") == "invalid_utf8");
  CHECK(kind(R"({"a":1} x)") == "trailing_content");
  CHECK(kind(R"([1])") == "wrong_type");
  CHECK(kind(R"({"a":1e999})") == "number_out_of_range");
}

TEST_CASE("the Device Client's schema: what it refuses, refused with a named error and member") {
  iotjobs::decoder dec;
  const std::string handler = R"("name":"n","type":"runHandler","input":{"handler":"h"})";
  CHECK(failure(dec, one_action(handler)) == "ok");
  // The document.
  CHECK(failure(dec, R"({"steps":[{"action":{)" + handler + "}}]}") == "missing_field version");
  CHECK(failure(dec, R"({"version":"","steps":[]})") == "missing_field version");
  CHECK(failure(dec, R"({"version":1,"steps":[]})") == "wrong_type version");
  CHECK(failure(dec, R"({"version":"1.0","steps":[]})") == "missing_field steps");
  CHECK(failure(dec, R"({"version":"1.0","steps":[{},{"x":1}]})") == "missing_field steps");
  CHECK(failure(dec, R"({"version":"1.0","steps":{}})") == "wrong_type steps");
  CHECK(failure(dec, R"({"version":"1.0","steps":[1]})") == "wrong_type steps");
  CHECK(failure(dec, R"({"version":"1.0","steps":[],"steps":[]})") == "duplicate_field steps");
  CHECK(failure(dec, R"({"version":"1.0","includeStdOut":1,"steps":[]})") ==
        "wrong_type includeStdOut");
  CHECK(failure(dec, R"({"version":"1.0","steps":[{"action":{)" + handler +
                         R"(}}],"finalStep":[]})") == "wrong_type finalStep");
  CHECK(failure(dec, R"({"version":"1.0","steps":[{"action":{)" + handler +
                         R"(}}],"finalStep":{"action":{"name":"","type":"runCommand"}}})") ==
        "missing_field name");
  // An action.
  CHECK(failure(dec, one_action(R"("type":"runHandler","input":{"handler":"h"})")) ==
        "missing_field name");
  CHECK(failure(dec, one_action(R"("name":"","type":"runHandler","input":{"handler":"h"})")) ==
        "missing_field name");
  CHECK(failure(dec, one_action(R"("name":"n","input":{"handler":"h"})")) == "missing_field type");
  CHECK(failure(dec, one_action(R"("name":"n","type":null,"input":{"handler":"h"})")) ==
        "missing_field type");
  CHECK(failure(dec, one_action(R"("name":"n","type":"runScript","input":{})")) ==
        "invalid_action_type type");
  CHECK(failure(dec, one_action(R"("name":"n","type":7,"input":{})")) == "wrong_type type");
  CHECK(failure(dec, one_action(R"("name":"n","type":"runHandler")")) == "missing_field input");
  CHECK(failure(dec, one_action(R"("name":"n","type":"runHandler","input":[])")) ==
        "wrong_type input");
  CHECK(failure(dec, one_action(R"("name":"n","name":"m","type":"runHandler","input":{})")) ==
        "duplicate_field name");
  CHECK(failure(dec, one_action(handler + R"(,"allowStdErr":"x")")) == "wrong_type allowStdErr");
  CHECK(failure(dec, one_action(handler + R"(,"allowStdErr":1.5)")) == "wrong_type allowStdErr");
  CHECK(failure(dec, one_action(handler + R"(,"runAsUser":5)")) == "wrong_type runAsUser");
  CHECK(failure(dec, one_action(handler + R"(,"ignoreStepFailure":[])")) ==
        "wrong_type ignoreStepFailure");
  // runHandler's input.
  CHECK(failure(dec, one_action(R"("name":"n","type":"runHandler","input":{})")) ==
        "missing_field handler");
  CHECK(failure(dec, one_action(R"("name":"n","type":"runHandler","input":{"handler":""})")) ==
        "missing_field handler");
  CHECK(failure(dec, one_action(R"("name":"n","type":"runHandler","input":{"handler":"h",)"
                                R"("args":["a",1]})")) == "wrong_type args");
  CHECK(failure(dec, one_action(R"("name":"n","type":"runHandler","input":{"handler":"h",)"
                                R"("path":false})")) == "wrong_type path");
  // runCommand's input.
  CHECK(failure(dec, one_action(R"("name":"n","type":"runCommand","input":{})")) ==
        "missing_field command");
  for (const char* bad : {"", ",,,", " ,x", "echo hi,x", "\\t,x"}) {
    CAPTURE(bad);
    CHECK(failure(dec, one_action(R"("name":"n","type":"runCommand","input":{"command":")" +
                                  std::string(bad) + "\"}")) == "invalid_command command");
  }
  CHECK(failure(dec, one_action(R"("name":"n","type":"runCommand","input":{"command":1})")) ==
        "wrong_type command");
  // Conditions.
  const auto with_conditions = [&](std::string_view c) {
    return failure(dec, R"({"version":"1.0","conditions":[)" + std::string(c) +
                            R"(],"steps":[{"action":{)" + handler + "}}]}");
  };
  CHECK(with_conditions(R"({"key":"k","value":["v"]})") == "ok");
  CHECK(with_conditions(R"({"value":["v"]})") == "missing_field key");
  CHECK(with_conditions(R"({"key":"","value":["v"]})") == "missing_field key");
  CHECK(with_conditions(R"({"key":"k"})") == "missing_field value");
  CHECK(with_conditions(R"({"key":"k","value":[]})") == "missing_field value");
  CHECK(with_conditions(R"({"key":"k","value":[1]})") == "wrong_type value");
  CHECK(with_conditions(R"({"key":"k","value":["v"],"type":1})") == "wrong_type type");
  CHECK(with_conditions(R"(1)") == "wrong_type conditions");
}

TEST_CASE("the Device Client's schema: what it accepts, read as it reads it") {
  iotjobs::decoder dec;
  const auto first = [&](std::string_view action) {
    const std::string json = one_action(action);
    const auto r = dec.decode(docs::job_document, json);
    REQUIRE(r);
    return r->device_client()->steps[0];
  };
  const std::string handler = R"("name":"n","type":"runHandler","input":{"handler":"h"})";
  // ignoreStepFailure and includeStdOut: the string "true", or a JSON boolean.
  CHECK(first(handler + R"(,"ignoreStepFailure":"true")").ignore_step_failure);
  CHECK(first(handler + R"(,"ignoreStepFailure":true)").ignore_step_failure);
  CHECK(!first(handler + R"(,"ignoreStepFailure":"True")").ignore_step_failure);
  CHECK(!first(handler + R"(,"ignoreStepFailure":"yes")").ignore_step_failure);
  CHECK(!first(handler + R"(,"ignoreStepFailure":null)").ignore_step_failure);
  CHECK(!first(handler).ignore_step_failure);
  CHECK(first(handler + R"(,"allowStdErr":"3")").allow_std_err == 3);  // as numbers read everywhere
  CHECK(!first(handler + R"(,"allowStdErr":null)").allow_std_err);
  CHECK(first(handler + R"(,"runAsUser":null)").run_as_user.empty());
  // Members of the other type's input, or unknown ones, are not read.
  CHECK(first(R"("name":"n","type":"runHandler","input":{"handler":"h","command":5})")
            .command.empty());
  CHECK(first(R"("input":{"command":"ls","handler":[]},"type":"runCommand","name":"n")")
            .handler.empty());
  CHECK(first(handler + R"(,"extra":{"deep":[1,2,{"x":null}]})").name == "n");
  // The command's split: unescaped `\,`, empty pieces dropped, arguments trimmed.
  const auto split = [&](std::string_view command) {
    return arguments(first(R"("name":"n","type":"runCommand","input":{"command":")" +
                           std::string(command) + "\"}")
                         .command);
  };
  using args = std::vector<std::string>;
  CHECK(split("ls") == args{"ls"});
  CHECK(split("echo,a,b") == args{"echo", "a", "b"});
  CHECK(split(",,echo,,a,,") == args{"echo", "a"});
  CHECK(split("echo,\\\\,,x") == args{"echo", ",", "x"});  // `\,` is a comma
  CHECK(split("echo,a\\\\,b") == args{"echo", "a,b"});
  CHECK(split("echo,a\\\\\\\\,b") == args{"echo", "a\\,b"});  // `\\,`: a backslash, `\,`
  CHECK(split("echo,a\\\\") == args{"echo", "a\\"});          // a backslash at the end
  CHECK(split(" \\techo\\n , two words ,  ") == args{"echo", "two words", ""});
  CHECK(split("echo,\\\\, ") == args{"echo", ","});
  // finalStep without an action is none, as the Device Client reads it.
  const std::string no_final =
      R"({"version":"1.0","steps":[{"action":{)" + handler + R"(}}],"finalStep":{"x":1}})";
  const auto r = dec.decode(docs::job_document, no_final);
  REQUIRE(r);
  CHECK(!r->device_client()->final_step);
}

TEST_CASE("the legacy schema: one runHandler step named after its operation") {
  iotjobs::decoder dec;
  CHECK(failure(dec, R"({"operation":"x"})") == "ok");
  CHECK(failure(dec, R"({"operation":""})") == "missing_field operation");
  CHECK(failure(dec, R"({"operation":5})") == "wrong_type operation");
  CHECK(failure(dec, R"({"operation":"x","args":"a"})") == "wrong_type args");
  CHECK(failure(dec, R"({"operation":"x","allowStdErr":true})") == "wrong_type allowStdErr");
  CHECK(failure(dec, R"({"operation":"x","path":1})") == "wrong_type path");
  CHECK(failure(dec, R"({"operation":"x","operation":"y"})") == "duplicate_field operation");
  const auto r = dec.decode(docs::job_document, R"({"operation":"x","path":null})");
  REQUIRE(r);
  CHECK(r->device_client()->steps[0].location() == docs::handler_location::search_path);
  CHECK(r->device_client()->aws_template == docs::managed_template::none);
}

TEST_CASE("managed templates: the template's shape and parameter limits, or none") {
  iotjobs::decoder dec;
  const auto aws = [&](const std::string& json) {
    const auto r = dec.decode(docs::job_document, json);
    REQUIRE(r);
    return r->device_client()->aws_template;
  };
  const std::string reboot =
      R"("name":"Reboot","type":"runHandler","input":{"handler":"reboot.sh")";
  CHECK(aws(one_action(reboot + "}")) == docs::managed_template::reboot);
  CHECK(aws(one_action(reboot + R"(,"args":["now"]})")) == docs::managed_template::none);
  CHECK(aws(one_action(R"("name":"Reboot","type":"runHandler","input":{"handler":"x.sh"})")) ==
        docs::managed_template::none);
  CHECK(
      aws(one_action(R"("name":"Restart","type":"runHandler","input":{"handler":"reboot.sh"})")) ==
      docs::managed_template::none);
  CHECK(aws(one_action(R"("name":"Run-Command","type":"runCommand","input":{"command":"ls"})")) ==
        docs::managed_template::run_command);
  CHECK(aws(one_action(R"("name":"Run-Command","type":"runHandler","input":{"handler":"ls"})")) ==
        docs::managed_template::none);
  // The version, one step, no finalStep.
  CHECK(aws(R"({"version":"1.1","steps":[{"action":{)" + reboot + "}}}]}") ==
        docs::managed_template::none);
  CHECK(aws(R"({"version":"1.0","steps":[{"action":{)" + reboot + "}}},{\"action\":{" + reboot +
            "}}}]}") == docs::managed_template::none);
  CHECK(aws(R"({"version":"1.0","steps":[{"action":{)" + reboot +
            "}}}],\"finalStep\":{\"action\":{" + reboot + "}}}}") == docs::managed_template::none);
  // runAsUser: 256 code points; pathToHandler: 4096; no newline in either.
  const auto with = [&](std::string_view member, const std::string& value) {
    return aws(one_action(R"("name":"Reboot","type":"runHandler","input":{"handler":"reboot.sh",)"
                          R"("path":")" +
                          (member == "path" ? value : std::string("default")) +
                          R"("},"runAsUser":")" + (member == "user" ? value : std::string()) +
                          "\""));
  };
  std::string user;
  for (int i = 0; i < 256; ++i)
    user += "\xc3\xa9";  // 256 code points, 512 bytes
  CHECK(with("user", user) == docs::managed_template::reboot);
  CHECK(with("user", user + "a") == docs::managed_template::none);
  CHECK(with("user", "a\\nb") == docs::managed_template::none);
  CHECK(with("path", std::string(4096, 'p')) == docs::managed_template::reboot);
  CHECK(with("path", std::string(4097, 'p')) == docs::managed_template::none);
  CHECK(with("user", "a\u2028b") == docs::managed_template::none);  // a line terminator to Java
  CHECK(with("user", "a\u0085b") == docs::managed_template::none);
  CHECK(with("user", "a\u2027b") == docs::managed_template::reboot);
  // What the templates do not write makes a document no template.
  CHECK(aws(one_action(reboot + R"(},"allowStdErr":1)")) == docs::managed_template::none);
  CHECK(aws(one_action(reboot + R"(},"ignoreStepFailure":"true")")) ==
        docs::managed_template::none);
  CHECK(aws(R"({"version":"1.0","includeStdOut":"true","steps":[{"action":{)" + reboot + "}}}]}") ==
        docs::managed_template::none);
  CHECK(aws(R"({"version":"1.0","conditions":[{"key":"k","value":["v"]}],"steps":[{"action":{)" +
            reboot + "}}}]}") == docs::managed_template::none);
  CHECK(to_string(docs::managed_template::none).empty());
  CHECK(to_string(docs::managed_template::run_command) == "AWS-Run-Command");
}

TEST_CASE("afr_ota: what a FreeRTOS OTA agent needs, refused with a named error and member") {
  iotjobs::decoder dec;
  const std::string file = R"({"filesize":1,"fileid":0})";
  CHECK(failure(dec, ota(file)) == "ok");
  CHECK(failure(dec, R"({"afr_ota":[]})") == "wrong_type afr_ota");
  CHECK(failure(dec, R"({"afr_ota":{"streamname":"s","files":[]}})") == "missing_field protocols");
  CHECK(failure(dec, ota(file, R"("protocols":[],"streamname":"s")")) ==
        "invalid_protocol protocols");
  CHECK(failure(dec, ota(file, R"("protocols":["mqtt"],"streamname":"s")")) ==
        "invalid_protocol protocols");
  CHECK(failure(dec, ota(file, R"("protocols":["MQTT","MQTT"],"streamname":"s")")) ==
        "invalid_protocol protocols");
  CHECK(failure(dec, ota(file, R"("protocols":["MQTT","HTTP","MQTT"],"streamname":"s")")) ==
        "invalid_protocol protocols");
  CHECK(failure(dec, ota(file, R"("protocols":[1],"streamname":"s")")) == "wrong_type protocols");
  CHECK(failure(dec, ota(file, R"("protocols":["MQTT"])")) == "missing_field streamname");
  CHECK(failure(dec, ota(file, R"("protocols":["MQTT"],"streamname":null)")) ==
        "missing_field streamname");
  CHECK(failure(dec, ota(file, R"("protocols":["MQTT"],"streamname":"a b")")) ==
        "invalid_stream_name streamname");
  CHECK(failure(dec, ota(file, R"("protocols":["MQTT"],"streamname":")" + std::string(129, 's') +
                                   "\"")) == "invalid_stream_name streamname");
  CHECK(failure(dec, ota(file, R"("protocols":["MQTT"],"streamname":")" + std::string(128, 's') +
                                   "\"")) == "ok");
  CHECK(failure(dec, ota("")) == "missing_field files");
  CHECK(failure(dec, R"({"afr_ota":{"protocols":["MQTT"],"streamname":"s"}})") ==
        "missing_field files");
  CHECK(failure(dec, ota(R"({"fileid":0})")) == "missing_field filesize");
  CHECK(failure(dec, ota(R"({"filesize":1})")) == "missing_field fileid");
  CHECK(failure(dec, ota(R"({"filesize":-1,"fileid":0})")) == "number_out_of_range filesize");
  CHECK(failure(dec, ota(R"({"filesize":4294967296,"fileid":0})")) ==
        "number_out_of_range filesize");
  CHECK(failure(dec, ota(R"({"filesize":4294967295,"fileid":0})")) == "ok");
  CHECK(failure(dec, ota(R"({"filesize":1.5,"fileid":0})")) == "wrong_type filesize");
  CHECK(failure(dec, ota(R"({"filesize":1,"fileid":256})")) == "number_out_of_range fileid");
  CHECK(failure(dec, ota(R"({"filesize":1,"fileid":0,"fileType":256})")) ==
        "number_out_of_range fileType");
  CHECK(failure(dec, ota(R"({"filesize":1,"fileid":0,"attr":-1})")) == "number_out_of_range attr");
  CHECK(failure(dec, ota(R"({"filesize":1,"fileid":0,"filepath":1})")) == "wrong_type filepath");
  CHECK(failure(dec, ota(R"({"filesize":1,"fileid":0,"certfile":[]})")) == "wrong_type certfile");
  CHECK(failure(dec, ota(R"({"filesize":1,"fileid":0,"attr":4294967295})")) == "ok");
  CHECK(failure(dec, ota(R"({"filesize":1,"fileid":0,"attr":4294967296})")) ==
        "number_out_of_range attr");
  // Without HTTP, a URL and scheme are not needed: empty ones are as good as none.
  CHECK(failure(dec, ota(R"({"filesize":1,"fileid":0,"update_data_url":"","auth_scheme":""})")) ==
        "ok");
  CHECK(failure(dec, ota(file, R"("protocols":["HTTP","MQTT"])")) == "missing_field streamname");
  CHECK(failure(dec, ota(R"({"filesize":1,"fileid":0,"update_data_url":"u","auth_scheme":"a"})",
                         R"("protocols":["MQTT","HTTP"])")) == "missing_field streamname");
  CHECK(failure(dec, ota(R"({"filesize":1,"fileid":0,"filesize":2})")) ==
        "duplicate_field filesize");
  // Signatures: one per file, base64 of 1 to 384 bytes; other sig- keys are not ours.
  const auto signed_with = [&](const std::string& members) {
    return failure(dec, ota(R"({"filesize":1,"fileid":0,)" + members + "}"));
  };
  CHECK(signed_with(R"("sig-sha1-rsa":"AAAA")") == "ok");
  CHECK(signed_with(R"("sig-sha256-ecdsa":"AA=A")") == "invalid_signature sig-sha256-ecdsa");
  CHECK(signed_with(R"("sig-sha256-ecdsa":"")") == "invalid_signature sig-sha256-ecdsa");
  CHECK(signed_with(R"("sig-sha256-ecdsa":1)") == "wrong_type sig-sha256-ecdsa");
  CHECK(signed_with(R"("sig-sha256-rsa":")" + std::string(512, 'A') + "\"") == "ok");  // 384
  CHECK(signed_with(R"("sig-sha256-rsa":")" + std::string(516, 'A') + "\"") ==
        "invalid_signature sig-sha256-rsa");  // 387 bytes
  CHECK(signed_with(R"("sig-sha1-ecdsa":"AAAA","sig-sha256-ecdsa":"AAAA")") ==
        "duplicate_field sig-sha256-ecdsa");
  CHECK(signed_with(R"("sig--":null,"sig-sha512-ed25519":"!","sig-sha1-rsa":null)") == "ok");
  {
    const std::string placeholder = ota(R"({"filesize":1,"fileid":0,"sig-<hash>-<alg>":"AAAA"})");
    const auto r = dec.decode(docs::job_document, placeholder);  // the table's stand-in name
    REQUIRE(r);
    CHECK(r->afr_ota()->files[0].signature_key.empty());
  }
  // HTTP: every file's URL and scheme.
  const std::string http = R"("protocols":["HTTP"])";
  CHECK(failure(dec, ota(R"({"filesize":1,"fileid":0,"update_data_url":"https://u",)"
                         R"("auth_scheme":"aws.s3.presigned"})",
                         http)) == "ok");
  CHECK(failure(dec, ota(file, http)) == "missing_field update_data_url");
  CHECK(failure(dec, ota(R"({"filesize":1,"fileid":0,"update_data_url":"https://u"})", http)) ==
        "missing_field auth_scheme");
  CHECK(failure(dec, ota(R"({"filesize":1,"fileid":0,"update_data_url":"","auth_scheme":"a"})",
                         http)) == "missing_field update_data_url");
}

TEST_CASE("names, and the edges of the helpers") {
  CHECK(to_string(docs::kind::unknown) == "unknown");
  CHECK(to_string(docs::kind::device_client) == "device_client");
  CHECK(to_string(docs::kind::legacy_device_client) == "legacy_device_client");
  CHECK(to_string(docs::kind::afr_ota) == "afr_ota");
  CHECK(to_string(static_cast<docs::managed_template>(99)).empty());
  CHECK(to_string(static_cast<docs::self_test_state>(99)).empty());
  // Templates' parameters: Java's `.` matches every code point but the line terminators.
  docs::action_view reboot;
  reboot.name = "Reboot";
  reboot.handler = "reboot.sh";
  docs::device_client_view d;
  d.version = "1.0";
  d.steps = iotjobs::list_view<docs::action_view>(&reboot, 1);
  for (const char* user : {"\xc2\x84", "\xe2\x81\xa8", "\xe2\x80\xa7", "\xc2", "\xe2\x80"}) {
    reboot.run_as_user = user;
    CHECK(docs::managed_template_of(d) == docs::managed_template::reboot);
  }
  for (const char* user : {"\xc2\x85", "\xe2\x80\xa8", "\xe2\x80\xa9", "\r"}) {
    reboot.run_as_user = user;
    CHECK(docs::managed_template_of(d) == docs::managed_template::none);
  }
  char out[docs::max_signature_size];
  CHECK(docs::decode_signature(std::string(516, 'A'), out).error() == error::invalid_signature);
  CHECK(!docs::is_unresolved_presigned_url("${aws:iot:s3-presigned-url:https://b/k"));
  CHECK(!docs::is_presigned_url("https://b/k?"));
  CHECK(!docs::is_presigned_url("https://b/k?X-Amz-Signature"));  // no value
  CHECK(!docs::is_presigned_url("https://b/k?X-Amz-Signatures=1"));
  CHECK(docs::is_presigned_url("http://b/k?a&X-Amz-Signature=1#frag"));
  const auto expiry = [](std::string_view date, std::string_view expires) {
    return docs::presigned_url_expiry("https://b/k?X-Amz-Date=" + std::string(date) +
                                      "&X-Amz-Expires=" + std::string(expires) +
                                      "&X-Amz-Signature=1");
  };
  CHECK(expiry("00000101T000000Z", "60").value_or(0) == -62167219200 + 60);  // year 0, before 1970
  CHECK(expiry("20000229T000000Z", "60").value_or(0) == 951782400 + 60);     // 2000: a leap year
  CHECK(expiry("19000229T000000Z", "60").error() == error::invalid_presigned_url);  // 1900: not
  CHECK(expiry("20261201T000000Z", "1234567").error() == error::invalid_presigned_url);
  CHECK(expiry("2026120xT000000Z", "60").error() == error::invalid_presigned_url);
  CHECK(expiry("20261201T00000xZ", "60").error() == error::invalid_presigned_url);
  CHECK(!docs::same_document(R"("a")", R"("a""b")"));
  CHECK(!docs::same_document(R"("a""b")", R"("a")"));
  const iotjobs::status_detail hex{"updatedBy", "1x10"};
  CHECK(!docs::updated_by_of(iotjobs::status_details_view(&hex, 1)));
  iotjobs::decoder dec;
  CHECK(failure(dec, ota(R"({"filesize":1,"fileid":0})",
                         R"("protocols":["MQTT"],"streamname":5)")) == "wrong_type streamname");
  CHECK(failure(dec, R"({"afr_ota":{"protocols":{},"streamname":"s","files":[]}})") ==
        "wrong_type protocols");
}

TEST_CASE("base64 signatures decode into caller storage") {
  char out[docs::max_signature_size];
  const auto decoded = [&](std::string_view b64) -> std::string {
    const auto r = docs::decode_signature(b64, out);
    return r ? std::string(out, *r) : std::string("!") + std::string(iotjobs::name(r.error()));
  };
  // RFC 4648 §10's vectors, padded and not.
  CHECK(decoded("Zg==") == "f");
  CHECK(decoded("Zm8=") == "fo");
  CHECK(decoded("Zm9v") == "foo");
  CHECK(decoded("Zm9vYg==") == "foob");
  CHECK(decoded("Zm9vYmE=") == "fooba");
  CHECK(decoded("Zm9vYmFy") == "foobar");
  CHECK(decoded("Zm9vYg") == "foob");
  CHECK(decoded("Zm9vYmE") == "fooba");
  CHECK(decoded("+/+/") == "\xfb\xff\xbf");
  for (const char* bad : {"", "Z", "Zg=", "Zh==", "Zm9=", "Zm9v\n", "Zm-v", "====", "Zg==Zg=="}) {
    CAPTURE(bad);
    CHECK(decoded(bad) == "!invalid_signature");
  }
  char small[2];
  const auto r = docs::decode_signature("Zm9v", small);
  CHECK(r.error() == error::buffer_too_small);
  CHECK(r.required_size() == 3);
}

TEST_CASE("presigned URLs: the unresolved placeholder, the expiry, and comparison") {
  CHECK(docs::is_unresolved_presigned_url(
      "${aws:iot:s3-presigned-url:https://s3.us-east-1.amazonaws.com/bucket/key}"));
  CHECK(!docs::is_unresolved_presigned_url("${aws:iot:s3-presigned-url:}"));
  CHECK(!docs::is_unresolved_presigned_url("${aws:iot:parameter:downloadUrl}"));
  CHECK(!docs::is_unresolved_presigned_url("https://bucket.s3.amazonaws.com/key"));

  const std::string base = "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256";
  const auto url = [&](std::string_view date, std::string_view expires) {
    return base + "&X-Amz-Date=" + std::string(date) + "&X-Amz-Expires=" + std::string(expires) +
           "&X-Amz-Signature=ab";
  };
  CHECK(docs::is_presigned_url(url("20261201T101500Z", "3600")));
  CHECK(!docs::is_presigned_url(base));
  CHECK(!docs::is_presigned_url("ftp://b/k?X-Amz-Signature=ab"));
  CHECK(!docs::is_presigned_url("https://b/k#?X-Amz-Signature=ab"));
  CHECK(!docs::is_presigned_url("https://b/k?NotX-Amz-Signature=ab"));
  CHECK(docs::presigned_url_expiry(url("20261201T101500Z", "3600")).value_or(0) == 1796123700);
  CHECK(docs::presigned_url_expiry(url("20280229T235959Z", "604800")).value_or(0) == 1836086399);
  CHECK(docs::presigned_url_expiry(url("19700101T000000Z", "1")).value_or(0) == 1);
  for (const auto& bad : std::vector<std::pair<std::string, std::string>>{
           {"20260229T000000Z", "60"},  // 2026 is no leap year
           {"20261301T000000Z", "60"},
           {"20261200T000000Z", "60"},
           {"20261201T240000Z", "60"},
           {"20261201T006000Z", "60"},
           {"20261201T000060Z", "60"},
           {"20261201 000000Z", "60"},
           {"20261201T000000", "60"},
           {"2026120T1000000Z", "60"},
           {"20261201T000000Z", "0"},
           {"20261201T000000Z", "604801"},
           {"20261201T000000Z", ""},
           {"20261201T000000Z", "-5"},
           {"20261201T000000Z", "1e3"}}) {
    CAPTURE(bad.first);
    CAPTURE(bad.second);
    CHECK(docs::presigned_url_expiry(url(bad.first, bad.second)).error() ==
          error::invalid_presigned_url);
  }
  CHECK(docs::presigned_url_expiry(base + "&X-Amz-Expires=60").error() ==
        error::invalid_presigned_url);

  // Two deliveries of one document differ in their signatures only.
  const std::string a = R"({"url":")" + url("20261201T101500Z", "3600") + R"(","n":1})";
  const std::string b = R"({"url":")" + url("20261201T111500Z", "60") + R"(","n":1})";
  CHECK(docs::same_document(a, b));
  CHECK(docs::fingerprint(a) == docs::fingerprint(b));
  for (const std::string& other : std::vector<std::string>{
           R"({"url":"https://b.s3.amazonaws.com/other?X-Amz-Signature=ab","n":1})",
           R"({"url":")" + url("20261201T101500Z", "3600") + R"(","n":2})",
           R"({"url":")" + url("20261201T101500Z", "3600") + R"(", "n":1})",  // text, not JSON
           std::string(R"({"url":"https://b/k?a=1","n":1})"), a.substr(0, a.size() - 1)}) {
    CAPTURE(other);
    CHECK(!docs::same_document(a, other));
    CHECK(docs::fingerprint(a) != docs::fingerprint(other));
  }
  CHECK(!docs::same_document(R"({"u":"a?b"})", R"({"u":"a?c"})"));  // not presigned: all counts
  CHECK(!docs::same_document(R"({"u":"X-Amz-Signature=a"})", R"({"u":"X-Amz-Signature=b"})"));
  CHECK(
      docs::same_document(R"({"u":"a\"?X-Amz-Signature=1"})", R"({"u":"a\"?X-Amz-Signature=2"})"));
  CHECK(!docs::same_document(R"({"u":"a)", R"({"u":"b)"));
  CHECK(docs::same_document("", ""));
  CHECK(docs::fingerprint(R"({"a":"b"})") != docs::fingerprint(R"({"a":"b" })"));
}

TEST_CASE("make_status_details_value: any text, a valid value") {
  char buf[iotjobs::max_status_details_value_size];
  const auto make = [&](std::string_view text, iotjobs::keep which = iotjobs::keep::start) {
    const auto r = iotjobs::make_status_details_value(text, buf, which);
    REQUIRE(r);
    CHECK(iotjobs::is_valid_status_details_value(*r));
    return std::string(*r);
  };
  CHECK(make("disk full") == "disk full");
  CHECK(make("") == "(empty)");
  CHECK(make("a\nb\tc\r\n") == "a b c  ");
  CHECK(make("\xef\xbb\xbfok\xe2\x80\x8b") == " ok ");        // U+FEFF, U+200B: category Cf
  CHECK(make("caf\xc3\xa9 \xff\xc3(") == "caf\xc3\xa9   (");  // bad bytes, each a space
  CHECK(make("\xed\xa0\x80") == "   ");                       // a surrogate: 3 bad bytes
  CHECK(make("\xf0\x9f\x98\x80") == "\xf0\x9f\x98\x80");      // U+1F600 is So: kept
  // Cut to 1024 code points on a code point boundary, from the start or the end.
  std::string long_text;
  for (int i = 0; i < 1030; ++i)
    long_text += "\xc3\xa9";
  long_text = "A" + long_text + "Z";
  const std::string head = make(long_text);
  CHECK(head.size() == 1 + 1023 * 2);
  CHECK(head.front() == 'A');
  const std::string tail = make(long_text, iotjobs::keep::end);
  CHECK(tail.size() == 1023 * 2 + 1);
  CHECK(tail.back() == 'Z');
  std::string four;
  for (int i = 0; i < 1100; ++i)
    four += "\xf0\x9f\x98\x80";
  CHECK(make(four).size() == iotjobs::max_status_details_value_size);  // always enough
  // Deterministic noise: every byte value, every position; always a valid value.
  std::uint64_t state = 12345;
  for (int round = 0; round < 300; ++round) {
    std::string noise;
    const int size = static_cast<int>(state % 2000);
    for (int i = 0; i < size; ++i) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      noise += static_cast<char>(state >> 56);
    }
    make(noise, round % 2 ? iotjobs::keep::end : iotjobs::keep::start);
  }
  char small[4];
  const auto r = iotjobs::make_status_details_value("hello", small);
  CHECK(r.error() == error::buffer_too_small);
  CHECK(r.required_size() == 5);
  const auto end = iotjobs::make_status_details_value(long_text, small, iotjobs::keep::end);
  CHECK(end.error() == error::buffer_too_small);
  CHECK(end.required_size() == 1023 * 2 + 1);  // the bytes of the code points kept
}

TEST_CASE("the FreeRTOS OTA agent's statusDetails keys") {
  const docs::self_test_state states[] = {
      docs::self_test_state::ready, docs::self_test_state::active, docs::self_test_state::accepted,
      docs::self_test_state::rejected, docs::self_test_state::aborted};
  for (const docs::self_test_state s : states) {
    const iotjobs::status_detail d = docs::self_test(s);
    CHECK(d.key == "self_test");
    CHECK(docs::self_test_of(iotjobs::status_details_view(&d, 1)) == s);
  }
  CHECK(to_string(docs::self_test_state::accepted) == "accepted");
  const iotjobs::status_detail other{"self_test", "pending"};
  CHECK(!docs::self_test_of(iotjobs::status_details_view(&other, 1)));
  CHECK(!docs::self_test_of(iotjobs::status_details_view()));

  char buf[21];
  auto d = docs::updated_by(0x10203, buf);
  REQUIRE(d);
  CHECK(d->key == "updatedBy");
  CHECK(d->value == "0x10203");
  CHECK(docs::updated_by_of(iotjobs::status_details_view(&*d, 1)) == 0x10203u);
  d = docs::updated_by(0xFFFFFFFF, buf);
  CHECK(d->value == "0xffffffff");
  CHECK(docs::updated_by_of(iotjobs::status_details_view(&*d, 1)) == 0xFFFFFFFFu);
  for (const char* bad : {"0x", "10203", "0x1g", "0x100000000"}) {
    const iotjobs::status_detail e{"updatedBy", bad};
    CHECK(!docs::updated_by_of(iotjobs::status_details_view(&e, 1)));
  }
  d = docs::receive(3, 10, buf);
  REQUIRE(d);
  CHECK(d->key == "receive");
  CHECK(d->value == "3/10");
  CHECK(docs::receive(4294967295u, 4294967295u, buf)->value == "4294967295/4294967295");
  d = docs::reason("signature check failed:\n0x0000001f", buf);
  CHECK(d.error() == error::buffer_too_small);
  char reason[64];
  d = docs::reason("signature check failed:\n0x0000001f", reason);
  REQUIRE(d);
  CHECK(d->key == "reason");
  CHECK(d->value == "signature check failed: 0x0000001f");
  char tiny[9];
  CHECK(docs::updated_by(1, tiny).error() == error::buffer_too_small);
  CHECK(docs::receive(1, 1, tiny).error() == error::buffer_too_small);
}

}  // namespace test_documents
