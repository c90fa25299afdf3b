// The fuzz targets: one per entry point of the library. Each takes one fuzz input, asserts its
// properties (fuzz.hpp), and aborts on a violation. fuzz/meson.build makes one harness of each.
#ifndef IOTJOBS_FUZZ_TARGETS_HPP
#define IOTJOBS_FUZZ_TARGETS_HPP

#include <cstddef>
#include <cstdint>

namespace iotjobs_fuzz {

using target = void(const std::uint8_t* data, std::size_t size);

// decode.cpp: one target per message tag of messages.hpp (decode_<binding>_<tag>, whose harness
// names the tag alone). The input is the payload (MQTT), or `STATUS ERROR-TYPE\nBODY` or a bare
// body (HTTPS).
template <class Tag>
void decode(const std::uint8_t* data, std::size_t size);

// topics.cpp: a first byte chooses parse (the rest is the topic) or build (fields drawn).
target jobs_topic, commands_topic;

// validate.cpp: a first byte chooses the function, the rest is its argument.
target validate;

// encode.cpp: every field drawn from the input.
target encode_mqtt, encode_https, encode_commands;

// emulator.cpp: a sequence of requests to the Jobs emulator (tools/emulator), each a byte that
// chooses the topic (or draws one), then the payload.
target emulator;

// documents.cpp: a job document of one known kind, the input being all of it after the member
// that makes its kind (`{"steps":`, `{"operation":`, `{"afr_ota":`), and the closing brace.
target document_device_client, document_legacy_device_client, document_afr_ota;

// runner.cpp: the job runner against the emulator through a broker that loses, duplicates and
// reorders messages, each byte an event (a delivery, a loss, time passing, a reconnect, a report
// of the application's).
target runner;

}  // namespace iotjobs_fuzz

#endif  // IOTJOBS_FUZZ_TARGETS_HPP
