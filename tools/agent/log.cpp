#include "log.hpp"

#include <chrono>
#include <ctime>
#include <iterator>

#include <iotjobs/detail/json_writer.hpp>

namespace agent {
namespace {

using sink = iotjobs::detail::iterator_sink<std::back_insert_iterator<std::string>>;

// UTC, to the millisecond: 2026-12-06T23:59:01.123Z.
std::string now_utc() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(ms));
  return text;
}

// A text value goes bare when it is plain: nothing that would make the line ambiguous (a
// space, a quote, an equals sign, a backslash, a control character).
bool is_plain(std::string_view v) {
  for (const char c : v) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= ' ' || c == '"' || c == '=' || c == '\\' || u == 0x7F) return false;
  }
  return true;
}

}  // namespace

void logger::event(std::string_view name, std::initializer_list<field> fields) const {
  std::string line;
  sink s{std::back_inserter(line)};
  if (format_ == log_format::json) {
    iotjobs::detail::json_object_writer<sink> o(s);
    o.string_member("time", now_utc());
    o.string_member("event", name);
    for (const field& f : fields) {
      if (const auto* text = std::get_if<std::string_view>(&f.value)) {
        if (text->empty()) continue;
        o.string_member(f.name, *text);
      } else {
        o.int_member(f.name, std::get<std::int64_t>(f.value));
      }
    }
    o.finish();
  } else {
    line = now_utc() + " " + std::string(name);
    for (const field& f : fields) {
      const auto* text = std::get_if<std::string_view>(&f.value);
      if (text != nullptr && text->empty()) continue;
      line += " " + std::string(f.name) + "=";
      if (text != nullptr) {
        if (is_plain(*text)) {
          line += *text;
        } else {
          iotjobs::detail::write_json_string(s, *text);
        }
      } else {
        line += std::to_string(std::get<std::int64_t>(f.value));
      }
    }
  }
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

}  // namespace agent
