// The agent's log: one line per event on stderr (a field with empty text is left out), either
// readable text
//   2026-12-06T23:59:01.123Z step_started job=j1 step=1/3 name=Download-File
// (a value with a space, a quote, an equals sign or a control character is quoted as JSON quotes
// it), or one JSON object per line for machines (--log-format json):
//   {"time":"2026-12-06T23:59:01.123Z","event":"step_started","job":"j1","step":"1/3",...}
#ifndef IOTJOBS_TOOLS_AGENT_LOG_HPP
#define IOTJOBS_TOOLS_AGENT_LOG_HPP

#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace agent {

/// One name=value of an event; the value is text or an integer.
struct field {
  std::string_view name;
  std::variant<std::string_view, std::int64_t> value;

  field(std::string_view n, std::string_view v) : name(n), value(v) {}
  field(std::string_view n, const std::string& v) : name(n), value(std::string_view(v)) {}
  field(std::string_view n, const char* v) : name(n), value(std::string_view(v)) {}
  template <class Int, class = std::enable_if_t<std::is_integral_v<Int>>>
  field(std::string_view n, Int v) : name(n), value(static_cast<std::int64_t>(v)) {}
};

enum class log_format : std::uint8_t { text, json };

class logger {
 public:
  explicit logger(log_format format, std::FILE* out = stderr) : format_(format), out_(out) {}

  /// Writes the event's line, with the time first, and flushes it.
  void event(std::string_view name, std::initializer_list<field> fields) const;

 private:
  log_format format_;
  std::FILE* out_;
};

}  // namespace agent

#endif  // IOTJOBS_TOOLS_AGENT_LOG_HPP
