// The fuzz targets: one per entry point of the library. Each takes one fuzz input, asserts its
// properties (fuzz.hpp), and aborts on a violation. fuzz/meson.build makes one harness of each.
#ifndef IOTJOBS_FUZZ_TARGETS_HPP
#define IOTJOBS_FUZZ_TARGETS_HPP

#include <cstddef>
#include <cstdint>

namespace iotjobs_fuzz {

using target = void(const std::uint8_t* data, std::size_t size);

// decode.cpp: the input is the payload (MQTT), or `STATUS ERROR-TYPE\nBODY` or a bare body (HTTPS).
target decode_get_pending_accepted, decode_start_next_accepted, decode_describe_accepted,
    decode_update_accepted, decode_rejected, decode_notify, decode_notify_next,
    decode_command_accepted, decode_command_rejected, decode_get_pending_request,
    decode_start_next_request, decode_describe_request, decode_update_request,
    decode_describe_response, decode_get_pending_response, decode_start_next_response,
    decode_update_response, decode_start_command_execution_response;

// topics.cpp: a first byte chooses parse (the rest is the topic) or build (fields drawn).
target jobs_topic, commands_topic;

// validate.cpp: a first byte chooses the function, the rest is its argument.
target validate;

// encode.cpp: every field drawn from the input.
target encode_mqtt, encode_https, encode_commands;

// emulator.cpp: a sequence of requests to the Jobs emulator (tools/emulator), each a byte that
// chooses the topic (or draws one), then the payload.
target emulator;

}  // namespace iotjobs_fuzz

#endif  // IOTJOBS_FUZZ_TARGETS_HPP
