// HOST:PORT, as `iotjobs emulate --broker` and `iotjobs agent --broker` take it.
#ifndef IOTJOBS_TOOLS_CLI_ADDRESS_HPP
#define IOTJOBS_TOOLS_CLI_ADDRESS_HPP

#include <charconv>
#include <optional>
#include <string>
#include <string_view>

namespace cli {

struct address {
  std::string host;
  int port = 0;
};

/// `text` as HOST:PORT (the port 1-65535), or HOST alone with `default_port`; nothing for an
/// empty host or a port that is not one.
inline std::optional<address> parse_address(std::string_view text, int default_port) {
  const std::size_t colon = text.rfind(':');
  address a{std::string(text.substr(0, colon)), default_port};
  if (colon != std::string_view::npos) {
    const std::string_view digits = text.substr(colon + 1);
    const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), a.port);
    if (r.ec != std::errc() || r.ptr != digits.data() + digits.size()) return std::nullopt;
  }
  if (a.host.empty() || a.port < 1 || a.port > 65535) return std::nullopt;
  return a;
}

}  // namespace cli

#endif  // IOTJOBS_TOOLS_CLI_ADDRESS_HPP
