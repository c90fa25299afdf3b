// iotjobs — encode and decode AWS IoT Jobs messages from the shell, on the library's public API.
// The command line (CLI11) and the input and output are here; the work is in codec.cpp, and the
// emulator in emulate.cpp.
//
// Exit status: 0 success (a service error is data: 0 too), 1 bad input (a decode or validation
// error: its name and where on stderr, nothing on stdout), 2 a bad command line.
#include <CLI/CLI.hpp>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "../agent/policy.hpp"
#include "address.hpp"
#include "codec.hpp"
#include "emulate.hpp"
#include "json_out.hpp"
#ifdef IOTJOBS_HAVE_MOSQUITTO
#include "../agent/agent.hpp"
#endif

namespace {

constexpr const char* exit_status_text =
    "Exit status: 0 success (a service error is data: 0 too), 1 bad input (a decode or validation\n"
    "error: its name, and where, on stderr; nothing on stdout), 2 a bad command line.";

// The whole of `path` ("-": standard input).
std::optional<std::string> read_all(const std::string& path) {
  std::ostringstream s;
  if (path == "-") {
    s << std::cin.rdbuf();
    return s.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  s << in.rdbuf();
  return s.str();
}

// One line out, flushed at once so that a reader at the end of a pipe sees it now. A failed
// write (a reader that is gone, where SIGPIPE is ignored) is false.
bool put_line(std::string_view line) {
  return std::fwrite(line.data(), 1, line.size(), stdout) == line.size() &&
         std::fputc('\n', stdout) != EOF && std::fflush(stdout) == 0;
}

int report(const cli::outcome& r) {
  if (const auto* f = std::get_if<cli::failure>(&r)) {
    std::fprintf(stderr, "iotjobs: %s\n", f->text.c_str());
    if (f->status == 2) std::fputs("Run with --help for more information.\n", stderr);
    return f->status;
  }
  if (put_line(std::get<std::string>(r))) return 0;
  std::fprintf(stderr, "iotjobs: writing the output: %s\n", std::strerror(errno));
  return 1;
}

// --header 'Name: value', as an HTTP field line: the name is a token, compared in any case;
// optional white space around the value (and the name) is not part of it (RFC 9110 §5.5).
// Only x-amzn-ErrorType matters; given twice, the values combine as a list (RFC 9110 §5.3),
// and the first one is the error's name.
std::optional<cli::failure> read_header(std::string_view field, std::string& error_type) {
  const auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
      s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
      s.remove_suffix(1);
    return s;
  };
  const std::size_t colon = field.find(':');
  const std::string_view name = trim(field.substr(0, colon));
  const auto is_tchar = [](unsigned char c) {
    return std::isalnum(c) || std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
  };
  bool token = !name.empty();
  for (const char c : name)
    token = token && c != '\0' && is_tchar(static_cast<unsigned char>(c));
  if (colon == std::string_view::npos || !token)
    return cli::bad_usage("--header takes 'Name: value', the name a token (RFC 9110 §5.6.2)");
  std::string lower(name);
  for (char& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "x-amzn-errortype") {
    const std::string_view value = trim(field.substr(colon + 1));
    error_type += (error_type.empty() ? "" : ",") + std::string(value);
  }
  return std::nullopt;
}

// --stream: `TOPIC PAYLOAD` per line, decoded and printed as it arrives; a bad line gives an
// error line and the stream goes on. The exit status is 1 when a line was bad.
int decode_stream(std::istream& in) {
  iotjobs::decoder dec;
  int status = 0;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::string_view l = line;
    const std::size_t space = l.find(' ');
    const std::string_view topic = l.substr(0, space);
    const auto r = cli::decode_mqtt(
        dec, topic, space == std::string_view::npos ? std::string_view() : l.substr(space + 1));
    std::string out;
    if (const auto* f = std::get_if<cli::failure>(&r)) {
      cli::sink s{std::back_inserter(out)};
      cli::object o(s);
      // A topic that is not UTF-8 cannot be a JSON string; the error says what was wrong.
      if (iotjobs::detail::is_valid_utf8(topic)) o.string_member("topic", topic);
      o.string_member("error", f->text);
      o.finish();
      status = 1;
    } else {
      out = std::get<std::string>(r);
    }
    if (!put_line(out)) {
      std::fprintf(stderr, "iotjobs: writing the output: %s\n", std::strerror(errno));
      return 1;
    }
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);  // input through iostreams, output through stdio: apart

  CLI::App app{
      "Encodes and decodes AWS IoT Jobs messages, runs a local Jobs service, and runs a device's "
      "jobs.",
      "iotjobs"};
  app.require_subcommand(1);
  app.footer(exit_status_text);
#ifdef IOTJOBS_TOOL_VERSION
  app.set_version_flag("--version", IOTJOBS_TOOL_VERSION);
#endif
  const std::vector<std::string> operations(std::begin(cli::operations), std::end(cli::operations));

  CLI::App* encode =
      app.add_subcommand("encode", "Encodes a request: its MQTT message or HTTPS request");
  encode->footer(
      "The input is the operation's in the AWS API's shape (thingName, jobId, status,\n"
      "statusDetails, expectedVersion, ...; MQTT adds clientToken). --format json prints\n"
      "{\"topic\":...,\"payload\":...}, or with --http\n"
      "{\"method\":...,\"path\":...,\"query\":...,\"headers\":{...},\"body\":... or null}.\n"
      "start-command-execution exists over HTTPS only; update-command-execution, a command's\n"
      "status update ({thingName|clientId, executionId, status, statusReason, result,\n"
      "format: json|cbor}), over MQTT only, a CBOR payload printed as hex. describe and update\n"
      "take namespaceId, a Greengrass namespace.\n\n" +
      std::string(exit_status_text));
  std::string operation, input, format_name = "json";
  bool http = false;
  encode->add_option("operation", operation, "The operation")
      ->required()
      ->check(CLI::IsMember(operations));
  encode->add_flag("--http", http, "The HTTPS request instead of the MQTT message");
  encode->add_option("--input", input, "The input: JSON, or @FILE (@- for standard input)")
      ->required();
  encode
      ->add_option("--format", format_name,
                   "json: one object; line: TOPIC PAYLOAD, as mosquitto_sub -v prints it;\n"
                   "topic or payload: that alone (payload: the body, with --http)")
      ->check(CLI::IsMember({"json", "line", "topic", "payload"}))
      ->capture_default_str();

  CLI::App* decode =
      app.add_subcommand("decode", "Decodes a message or a response into one line of JSON");
  decode->footer(
      "--topic: an MQTT message of the Jobs or commands topics; \"kind\" and the names come\n"
      "  from the topic (a reply's executionId that repeats the topic's is not printed again),\n"
      "  the rest from the payload.\n"
      "--http: an HTTPS response of OPERATION, in the AWS output shape; an error response\n"
      "  prints {\"error\":{\"name\":...,\"fault\":...,...}} and still exits 0.\n"
      "--stream: `mosquitto_sub -v` output, one `TOPIC PAYLOAD` line per message, each decoded\n"
      "  and printed as it arrives; {\"topic\":...,\"error\":...} for a bad one, and on to the\n"
      "  next (the exit status is then 1).\n\n" +
      std::string(exit_status_text));
  std::string topic, http_operation, file = "-";
  int status = 0;
  std::vector<std::string> headers;
  bool stream = false;
  CLI::Option_group* message = decode->add_option_group("message", "What is decoded: one of");
  CLI::Option* topic_option =
      message->add_option("--topic", topic, "The MQTT topic the payload came on");
  CLI::Option* http_option =
      message->add_option("--http", http_operation, "An HTTPS response of this operation")
          ->check(CLI::IsMember(operations));
  message->add_flag("--stream", stream, "Lines of TOPIC PAYLOAD");
  message->require_option(1);
  CLI::Option* status_option = decode->add_option("--status", status, "The HTTP status (--http)")
                                   ->check(CLI::Range(100, 599))
                                   ->needs(http_option);
  http_option->needs(status_option);
  decode->add_option("--header", headers, "A response header, 'Name: value' (--http)")
      ->needs(http_option);
  decode->add_option("file", file, "The payload or the stream; - (the default): standard input");

  CLI::App* document = app.add_subcommand(
      "document", "Reads a job document into its typed view, as one line of JSON");
  document->footer(
      "The kind first: \"device_client\" (the AWS IoT Device Client's schema, \"template\" naming "
      "an\n"
      "AWS managed template it is), \"legacy_device_client\", \"afr_ota\" (FreeRTOS OTA), or\n"
      "\"unknown\" for any other JSON object, which is not an error. Then the document's members\n"
      "as the view holds them: a runCommand's command as its arguments, split.\n\n" +
      std::string(exit_status_text));
  std::string document_file = "-";
  document->add_option("file", document_file, "The document; - (the default): standard input");

  CLI::App* emulate =
      app.add_subcommand("emulate", "Runs a local AWS IoT Jobs service on an MQTT broker");
  emulate->footer(
      "It serves the device MQTT API until SIGINT or SIGTERM. The jobs file:\n"
      "  {\"things\": {\"<thingName>\": [{\"jobId\": \"...\", \"document\": {...},\n"
      "                                 \"inProgressTimeoutInMinutes\": N,\n"
      "                                 \"namespaceId\": \"...\"}, ...]}}\n"
      "each thing's executions queued in that order (the last two optional: the job's\n"
      "in-progress timeout, and a Greengrass namespace). Prints one line when it is subscribed\n"
      "and ready, one when it stops, and with --trace one for every change of an execution.\n"
      "The control plane, on the same broker: publish a job of that shape with its \"thing\" to\n"
      "iotjobs-emulate/add to queue it, {\"thing\", \"jobId\", \"namespaceId\"} to\n"
      "iotjobs-emulate/cancel to cancel an execution (as CancelJobExecution with force).");
  std::string broker, jobs_file;
  double time_scale = 1;
  emulate->add_option("--broker", broker, "HOST:PORT")->required();
  emulate->add_option("--jobs", jobs_file, "The jobs file")->required();
  emulate
      ->add_option("--time-scale", time_scale,
                   "Runs the emulator's clock this many times faster than real time, so that\n"
                   "timeouts can be tested in seconds")
      ->check(CLI::Range(1.0, 1e6))
      ->capture_default_str();
  bool trace = false;
  emulate->add_flag("--trace", trace,
                    "Prints every change of an execution as a line of JSON: thing, jobId,\n"
                    "status, versionNumber, executionNumber, statusDetails");

  CLI::App* agent_command = app.add_subcommand(
      "agent", "Runs the device's jobs from AWS IoT (or iotjobs emulate) until SIGTERM");
  agent_command->footer(
      "It runs the AWS IoT Device Client's job documents, and so the AWS managed templates: each\n"
      "step's handler or command as a process of its own, reporting \"step\" (k/n) and\n"
      "\"stepName\" in statusDetails as each starts, then SUCCEEDED, or FAILED with \"reason\",\n"
      "\"stderr\" and (with includeStdOut) \"stdout\". A job found IN_PROGRESS carries on after\n"
      "its last completed step. One line per event on stderr. docs/agent.md tells the rest.\n\n"
      "Exit status: 0 after SIGTERM or SIGINT, once stopped cleanly; 1 when it cannot start\n"
      "(its reason logged); 2 a bad command line.");
  agent::agent_options agent_options;
  std::string agent_broker, alpn, log_format = "text", unknown_jobs = "leave";
  bool tls = false;
  int keepalive = 60, step_timeout = 3600, kill_grace = 5, max_backoff = 60;
  agent_command->add_option("--thing", agent_options.thing, "The thing's name")->required();
  agent_command->add_option("--broker", agent_broker, "HOST:PORT (AWS IoT: your endpoint:8883)")
      ->required();
  agent_command->add_option("--client-id", agent_options.connection.client_id,
                            "The MQTT client id (default: the thing's name)");
  CLI::Option* tls_flag =
      agent_command->add_flag("--tls", tls, "TLS with an X.509 client certificate");
  std::string cafile, cert, key;
  CLI::Option* cafile_option =
      agent_command->add_option("--cafile", cafile, "The CA of the broker's certificate (PEM)");
  CLI::Option* cert_option =
      agent_command->add_option("--cert", cert, "This device's certificate (PEM)");
  CLI::Option* key_option = agent_command->add_option("--key", key, "Its private key (PEM)");
  cafile_option->needs(tls_flag);
  cert_option->needs(tls_flag)->needs(key_option);
  key_option->needs(tls_flag)->needs(cert_option);
  agent_command->add_option("--alpn", alpn,
                            "The TLS ALPN protocol (default: x-amzn-mqtt-ca on port 443)");
  agent_command->add_option("--keepalive", keepalive, "MQTT keepalive, in seconds")
      ->check(CLI::Range(30, 1200))
      ->capture_default_str();
  agent_command
      ->add_option("--handlers", agent_options.handlers,
                   "The handler directory: runHandler steps with \"path\": \"default\", "
                   "or\nwith no path (then PATH if it has no such handler)")
      ->required()
      ->check(CLI::ExistingDirectory);
  agent_command
      ->add_option("--state-dir", agent_options.state_dir,
                   "Where the running job's progress is kept, to carry on after a\n"
                   "restart or a reboot (one file per thing)")
      ->check(CLI::ExistingDirectory);
  agent_command
      ->add_option("--step-timeout", step_timeout,
                   "Seconds a step may run before its process group is stopped")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  agent_command
      ->add_option("--kill-grace", kill_grace,
                   "Seconds between SIGTERM and SIGKILL when a step is stopped")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  agent_command
      ->add_option("--max-backoff", max_backoff,
                   "The longest wait between attempts to connect, in seconds")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  agent_command
      ->add_option("--unknown-jobs", unknown_jobs,
                   "A job whose document is not the Device Client's (OTA, anything else):\n"
                   "leave it to the agent that owns it, or reject it")
      ->check(CLI::IsMember({"leave", "reject"}))
      ->capture_default_str();
  agent_command->add_option("--log-format", log_format, "text, or json (a JSON object a line)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  agent_command
      ->add_option("--boot-id-file", agent_options.boot_id_file,
                   "The file that names this boot: a step the device rebooted under is told so")
      ->capture_default_str();

  CLI::App* policy = app.add_subcommand(
      "policy", "Prints the AWS IoT policy document that `iotjobs agent` needs for a thing");
  policy->footer(
      "Connect on its client id, Subscribe on the four filters the agent subscribes to,\n"
      "Receive on their topics and Publish on its two requests, every topic built by the library\n"
      "as the agent builds it. Create it with\n"
      "  aws iot create-policy --policy-name NAME --policy-document file://policy.json\n"
      "and attach it to the device's certificate.\n\n"
      "Exit status: 0 success, 1 an invalid thing name (the error's name on stderr), 2 a bad\n"
      "command line.");
  agent::policy_options policy_options;
  policy->add_option("--thing", policy_options.thing, "The thing's name")->required();
  policy->add_option("--client-id", policy_options.client_id,
                     "The MQTT client id (default: the thing's name)");
  policy->add_option("--region", policy_options.region, "The AWS region")->capture_default_str();
  policy->add_option("--account", policy_options.account, "The AWS account id")
      ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::fprintf(stderr, "iotjobs: %s\nRun with --help for more information.\n", e.what());
    return 2;
  }

  if (encode->parsed()) {
    std::optional<std::string> text = input;
    if (!input.empty() && input[0] == '@') {
      text = read_all(input.substr(1));
      if (!text) return report(cli::bad_usage("cannot read " + input.substr(1)));
    }
    const cli::encode_format format = format_name == "line"      ? cli::encode_format::line
                                      : format_name == "topic"   ? cli::encode_format::topic
                                      : format_name == "payload" ? cli::encode_format::payload
                                                                 : cli::encode_format::json;
    return report(cli::encode(operation, http, format, *text));
  }
  if (document->parsed()) {
    const auto text = read_all(document_file);
    if (!text) return report(cli::bad_usage("cannot read " + document_file));
    iotjobs::decoder dec;
    return report(cli::decode_document(dec, *text));
  }
  if (policy->parsed()) {
    std::string error;
    const std::string document = agent::policy_document(policy_options, error);
    if (!error.empty()) return report(cli::bad_input(error));
    std::fputs(document.c_str(), stdout);
    return 0;
  }
  if (agent_command->parsed()) {
#ifdef IOTJOBS_HAVE_MOSQUITTO
    const auto address = cli::parse_address(agent_broker, tls ? 8883 : 1883);
    if (!address) return report(cli::bad_usage("--broker takes HOST:PORT"));
    agent::connection_options& c = agent_options.connection;
    c.host = address->host;
    c.port = address->port;
    if (c.client_id.empty()) c.client_id = agent_options.thing;
    c.keepalive_seconds = keepalive;
    c.max_backoff = std::chrono::seconds(max_backoff);
    if (tls) {
      if (cafile.empty() || cert.empty())
        return report(cli::bad_usage("--tls needs --cafile, --cert and --key"));
      c.tls = agent::tls_options{
          cafile, cert, key, alpn.empty() && c.port == 443 ? std::string("x-amzn-mqtt-ca") : alpn};
    }
    agent_options.step_timeout = std::chrono::seconds(step_timeout);
    agent_options.kill_grace = std::chrono::seconds(kill_grace);
    agent_options.foreign =
        unknown_jobs == "reject" ? agent::foreign_jobs::reject : agent::foreign_jobs::leave;
    agent_options.format = log_format == "json" ? agent::log_format::json : agent::log_format::text;
    return agent::run(agent_options);
#else
    std::fputs("iotjobs agent: built without libmosquitto (libmosquitto-dev)\n", stderr);
    return 1;
#endif
  }
  if (emulate->parsed()) {
    const auto text = read_all(jobs_file);
    if (!text) return report(cli::bad_usage("cannot read " + jobs_file));
    return run_emulate(broker, *text, time_scale, trace);
  }

  // decode
  if (stream) {
    if (file == "-") return decode_stream(std::cin);
    std::ifstream in(file, std::ios::binary);
    if (!in) return report(cli::bad_usage("cannot read " + file));
    return decode_stream(in);
  }
  std::string error_type;
  for (const std::string& h : headers) {
    if (auto f = read_header(h, error_type)) return report(*f);
  }
  const auto text = read_all(file);
  if (!text) return report(cli::bad_usage("cannot read " + file));
  iotjobs::decoder dec;
  if (topic_option->count() > 0) return report(cli::decode_mqtt(dec, topic, *text));
  return report(cli::decode_http(dec, http_operation, status, error_type, *text));
}
