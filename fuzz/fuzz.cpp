#include "fuzz.hpp"

#include <simdjson.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace iotjobs_fuzz {

void fail(const char* what, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: property failed: %s\n", file, line, what);
  std::abort();
}

std::string_view against_guard_page(std::string_view bytes) {
  static char* region = nullptr;  // readable pages, then one PROT_NONE page
  static std::size_t readable = 0;
  const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  if (bytes.size() > readable) {
    if (region != nullptr) munmap(region, readable + page);
    readable = (bytes.size() / page + 1) * page;
    void* p =
        mmap(nullptr, readable + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    IOTJOBS_FUZZ_CHECK(p != MAP_FAILED);
    region = static_cast<char*>(p);
    IOTJOBS_FUZZ_CHECK(mprotect(region + readable, page, PROT_NONE) == 0);
  }
  char* const start = region + readable - bytes.size();
  if (!bytes.empty()) std::memcpy(start, bytes.data(), bytes.size());
  return std::string_view(start, bytes.size());
}

bool dom_accepts(std::string_view text) {
  static simdjson::dom::parser parser;
  simdjson::dom::element root;
  return parser.parse(text.data(), text.size(), true).get(root) == simdjson::SUCCESS;
}

std::int64_t reader::integer() noexcept {
  constexpr std::int64_t edges[] = {-1,
                                    0,
                                    1,
                                    2,
                                    10080,
                                    10081,
                                    -2,
                                    std::numeric_limits<std::int64_t>::min(),
                                    std::numeric_limits<std::int64_t>::max()};
  const std::uint8_t choice = byte();
  if (choice < 2 * std::size(edges)) return edges[choice % std::size(edges)];
  std::uint64_t u = 0;
  for (int i = 0; i < 8; ++i)
    u = u << 8 | byte();
  return static_cast<std::int64_t>(u);
}

std::string reader::text(std::string_view alphabet) {
  const std::uint8_t how = byte();
  std::size_t length = byte();
  if (how & 0x80) length += 8 * std::size_t{byte()};  // up to 255 + 2040: past every limit
  std::string s;
  for (std::size_t i = 0; i < length && pos_ < size_; ++i) {
    const std::uint8_t b = byte();
    s += (how & 1) || alphabet.empty() ? static_cast<char>(b) : alphabet[b % alphabet.size()];
  }
  return s;
}

}  // namespace iotjobs_fuzz
