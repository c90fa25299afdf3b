// The CBOR form of the commands status update, read back by a CBOR decoder that is not ours
// (libcbor): every update decodes to what was encoded, with definite lengths, every head in its
// shortest form and each map's keys in deterministic order (RFC 8949 §4.2.1).
#include <cbor.h>
#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "iotjobs/commands.hpp"

namespace {

using namespace iotjobs;

std::string text_of(const cbor_item_t* item) {
  REQUIRE(cbor_isa_string(item));
  REQUIRE(cbor_string_is_definite(item));
  return {reinterpret_cast<const char*>(cbor_string_handle(item)), cbor_string_length(item)};
}

// The size of a head with this argument in its shortest form.
std::size_t head_size(std::size_t n) {
  return n < 24 ? 1 : n <= 0xFF ? 2 : n <= 0xFFFF ? 3 : 5;
}
std::size_t text_size(std::string_view s) {
  return head_size(s.size()) + s.size();
}

// Whether `a` sorts before `b` as RFC 8949 orders encoded keys: compares the encodings bytewise.
bool encoded_before(const std::string& a, const std::string& b) {
  const auto encode = [](const std::string& s) {
    cbor_item_t* item = cbor_build_stringn(s.data(), s.size());
    unsigned char* buffer = nullptr;
    std::size_t capacity = 0;
    const std::size_t length = cbor_serialize_alloc(item, &buffer, &capacity);
    std::string out(reinterpret_cast<char*>(buffer), length);
    free(buffer);
    cbor_decref(&item);
    return out;
  };
  return encode(a) < encode(b);
}

// The keys of a definite map, in order, and its values by key.
std::vector<std::string> keys_of(const cbor_item_t* map,
                                 std::map<std::string, cbor_item_t*>& values) {
  REQUIRE(cbor_isa_map(map));
  REQUIRE(cbor_map_is_definite(map));
  std::vector<std::string> keys;
  const cbor_pair* pairs = cbor_map_handle(map);
  for (std::size_t i = 0; i < cbor_map_size(map); ++i) {
    keys.push_back(text_of(pairs[i].key));
    values[keys.back()] = pairs[i].value;
  }
  for (std::size_t i = 1; i < keys.size(); ++i) {
    CAPTURE(keys[i]);
    CHECK(encoded_before(keys[i - 1], keys[i]));
  }
  return keys;
}

TEST_CASE("CBOR status updates read back by libcbor") {
  std::mt19937 random(20261201);
  // Lengths on each side of every head width.
  const std::size_t lengths[] = {0, 1, 23, 24, 255, 256, 1000, 65535, 65536, 70000};
  for (int round = 0; round < 60; ++round) {
    CAPTURE(round);
    std::vector<std::string> names, texts;
    std::vector<commands::result_entry> entries;
    const std::size_t count = 1 + random() % 30;
    names.reserve(count);
    texts.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      // Distinct names of 1-32 characters, in no particular order.
      names.push_back(std::string(1 + random() % 30, static_cast<char>('a' + random() % 26)) +
                      std::to_string(i));
      const std::size_t length = lengths[random() % 10];
      texts.push_back(
          std::string(length == 0 ? 1 : length, static_cast<char>(' ' + random() % 90)));
      switch (random() % 3) {
        case 0: entries.push_back({names[i], commands::result_value::string(texts[i])}); break;
        case 1: entries.push_back({names[i], commands::result_value::binary(texts[i])}); break;
        default: entries.push_back({names[i], commands::result_value::boolean(random() % 2 == 0)});
      }
    }
    commands::update_request req;
    req.device = commands::device_type::client;
    req.device_id = "device-1";
    req.execution_id = "exec-1";
    req.status = commands::execution_status::failed;
    const std::string description(lengths[random() % 7], 'd');
    if (round % 2 == 0) req.status_reason = commands::status_reason{"E_42", description};
    req.result = list_view<commands::result_entry>(entries);
    req.format = commands::payload_format::cbor;

    const auto m = commands::encode(req);
    REQUIRE(m);
    CHECK(m->topic == "$aws/commands/clients/device-1/executions/exec-1/response/cbor");
    const std::string& bytes = m->payload;

    cbor_load_result loaded;
    cbor_item_t* root =
        cbor_load(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), &loaded);
    REQUIRE(root != nullptr);
    REQUIRE(loaded.error.code == CBOR_ERR_NONE);
    CHECK(loaded.read == bytes.size());  // nothing after the update

    std::map<std::string, cbor_item_t*> top;
    const auto keys = keys_of(root, top);
    CHECK(keys.size() == (round % 2 == 0 ? 3u : 2u));
    CHECK(text_of(top["status"]) == "FAILED");
    std::size_t expected = 1 + text_size("status") + text_size("FAILED") + text_size("result");
    if (round % 2 == 0) {
      std::map<std::string, cbor_item_t*> reason;
      CHECK(keys_of(top["statusReason"], reason).size() == 2);
      CHECK(text_of(reason["reasonCode"]) == "E_42");
      CHECK(text_of(reason["reasonDescription"]) == description);
      expected += text_size("statusReason") + 1 + text_size("reasonCode") + text_size("E_42") +
                  text_size("reasonDescription") + text_size(description);
    }
    std::map<std::string, cbor_item_t*> results;
    CHECK(keys_of(top["result"], results).size() == count);
    expected += head_size(count);
    for (const commands::result_entry& e : entries) {
      CAPTURE(std::string(e.name));
      std::map<std::string, cbor_item_t*> value;
      const auto kind = keys_of(results[std::string(e.name)], value);
      REQUIRE(kind.size() == 1);
      expected += text_size(e.name) + 1;
      switch (e.value.type) {
        case commands::result_value::kind::string:
          CHECK(kind[0] == "s");
          CHECK(text_of(value["s"]) == std::string(e.value.text));
          expected += text_size("s") + text_size(e.value.text);
          break;
        case commands::result_value::kind::binary: {
          CHECK(kind[0] == "bin");
          const cbor_item_t* b = value["bin"];
          REQUIRE(cbor_isa_bytestring(b));
          REQUIRE(cbor_bytestring_is_definite(b));
          CHECK(std::string(reinterpret_cast<const char*>(cbor_bytestring_handle(b)),
                            cbor_bytestring_length(b)) == std::string(e.value.text));
          expected += text_size("bin") + text_size(e.value.text);
          break;
        }
        case commands::result_value::kind::boolean:
          CHECK(kind[0] == "b");
          REQUIRE(cbor_is_bool(value["b"]));
          CHECK(cbor_get_bool(value["b"]) == e.value.boolean_value);
          expected += text_size("b") + 1;
          break;
      }
    }
    // Every head in its shortest form: the size is the sum of the shortest encodings.
    CHECK(bytes.size() == expected);
    cbor_decref(&root);
  }
}

}  // namespace
