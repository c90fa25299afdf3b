// Test helpers: the golden payloads under tests/data/, and decoding one by its file's name.
#ifndef IOTJOBS_TESTS_SUPPORT_HPP
#define IOTJOBS_TESTS_SUPPORT_HPP

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "iotjobs/decoder.hpp"

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
  std::string name;     // e.g. notify_next-doc.json
  std::string decoder;  // the part before '-', e.g. notify_next
  std::string payload;
};

inline std::vector<golden_file> golden_files() {
  std::vector<golden_file> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(IOTJOBS_TEST_DATA) / "mqtt")) {
    if (entry.path().extension() != ".json") continue;
    std::string name = entry.path().filename().string();
    std::string decoder = name.substr(0, name.find('-'));
    files.push_back({name, decoder, read_file(entry.path())});
  }
  std::sort(files.begin(), files.end(),
            [](const golden_file& a, const golden_file& b) { return a.name < b.name; });
  return files;
}

/// Decodes `payload` with the decoder a golden file's name gives; the error (ok on success).
inline iotjobs::error decode_as(iotjobs::decoder& dec, std::string_view decoder,
                                std::string_view payload) {
  if (decoder == "get_pending_accepted") return dec.decode_get_pending_accepted(payload).error();
  if (decoder == "start_next_accepted") return dec.decode_start_next_accepted(payload).error();
  if (decoder == "describe_accepted") return dec.decode_describe_accepted(payload).error();
  if (decoder == "update_accepted") return dec.decode_update_accepted(payload).error();
  if (decoder == "rejected") return dec.decode_rejected(payload).error();
  if (decoder == "notify") return dec.decode_notify(payload).error();
  if (decoder == "notify_next") return dec.decode_notify_next(payload).error();
  return iotjobs::error::invalid_topic;  // a file named for no decoder: the test fails
}

}  // namespace test

#endif  // IOTJOBS_TESTS_SUPPORT_HPP
