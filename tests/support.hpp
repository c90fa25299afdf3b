// Test helpers: the golden payloads under tests/data/, and decoding one by the topic its file's
// name gives.
#ifndef IOTJOBS_TESTS_SUPPORT_HPP
#define IOTJOBS_TESTS_SUPPORT_HPP

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "iotjobs/messages.hpp"

namespace test {

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string golden(std::string_view name) {
  return read_file(std::filesystem::path(IOTJOBS_TEST_DATA) / "mqtt" / name);
}

struct golden_file {
  std::string name;                  // e.g. notify_next-doc.json
  iotjobs::mqtt::topic_kind kind{};  // the part before '-', a topic kind's name
  std::string topic;                 // a topic of that kind
  std::string payload;
};

/// The topic kind named `name` (iotjobs::mqtt::name), if any.
inline std::optional<iotjobs::mqtt::topic_kind> kind_named(std::string_view name) {
  for (std::size_t i = 0; i < iotjobs::mqtt::topic_kind_count; ++i) {
    const auto k = static_cast<iotjobs::mqtt::topic_kind>(i);
    if (iotjobs::mqtt::name(k) == name) return k;
  }
  return std::nullopt;
}

/// A topic of kind `k`, for thing `t` and job `j`.
inline std::string topic_of(iotjobs::mqtt::topic_kind k) {
  char buf[iotjobs::mqtt::max_topic_size];
  const auto t = iotjobs::mqtt::build_topic(k, "t", iotjobs::mqtt::has_job_id(k) ? "j" : "", buf);
  return t ? std::string(*t) : std::string();
}

/// Every file of tests/data/mqtt, by name. Its name begins with the kind of topic its payload
/// comes on; a file named for no topic kind is a failure of the caller's test (`topic` empty).
inline std::vector<golden_file> golden_files() {
  std::vector<golden_file> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(IOTJOBS_TEST_DATA) / "mqtt")) {
    if (entry.path().extension() != ".json") continue;
    std::string name = entry.path().filename().string();
    golden_file f{name, {}, {}, read_file(entry.path())};
    if (const auto k = kind_named(name.substr(0, name.find('-')))) {
      f.kind = *k;
      f.topic = topic_of(*k);
    }
    files.push_back(std::move(f));
  }
  std::sort(files.begin(), files.end(),
            [](const golden_file& a, const golden_file& b) { return a.name < b.name; });
  return files;
}

/// Decodes `payload` as if it came on the golden file's topic; the error (ok on success).
inline iotjobs::error decode_as(iotjobs::decoder& dec, const golden_file& f,
                                std::string_view payload) {
  return iotjobs::mqtt::decode(dec, f.topic, payload).error();
}

}  // namespace test

#endif  // IOTJOBS_TESTS_SUPPORT_HPP
