// Job documents (documents.hpp): one target per known kind, whose input is the document after
// the member that makes the kind (`{"steps":` + input + `}`: the input may add any other member
// after its value), so that every input exercises that kind's rules. Each has the decoders'
// properties (check_decoder) and a round trip: an accepted document's view written back as a
// document of its kind (the tool's JSON, tools/cli/document_json.hpp, with each runCommand's
// arguments joined into a command line again) decodes to a view that writes the same bytes, of
// the same kind and template. decode.cpp checks the generic job_document target's inputs so too.
#include <iotjobs/messages.hpp>

#include <string>
#include <string_view>

#include "../tools/cli/document_json.hpp"
#include "fuzz.hpp"
#include "targets.hpp"

namespace iotjobs_fuzz {

namespace docs = iotjobs::documents;

void check_document(std::string_view text) {
  check_decoder(text, false, [](std::string_view p) {
    return static_cast<bool>(shared_decoder().decode(docs::job_document, p));
  });
  static iotjobs::decoder first, second;
  const auto doc = first.decode(docs::job_document, text);
  if (!doc || doc->kind == docs::kind::unknown) return;
  const auto once = cli::document_json(*doc, cli::commands::as_text);
  if (!once) return;  // a command no command line gives
  const auto again = second.decode(docs::job_document, *once);
  IOTJOBS_FUZZ_CHECK(again);
  IOTJOBS_FUZZ_CHECK(again->kind == doc->kind);
  if (const docs::device_client_view* d = doc->device_client())
    IOTJOBS_FUZZ_CHECK(again->device_client()->aws_template == d->aws_template);
  IOTJOBS_FUZZ_CHECK(cli::document_json(*again, cli::commands::as_text) == once);
}

namespace {

void with_marker(std::string_view marker, const std::uint8_t* data, std::size_t size) {
  std::string text = "{\"" + std::string(marker) + "\":";
  text.append(reinterpret_cast<const char*>(data), size);
  text += '}';
  check_document(text);
}

}  // namespace

void document_device_client(const std::uint8_t* data, std::size_t size) {
  with_marker("steps", data, size);
}
void document_legacy_device_client(const std::uint8_t* data, std::size_t size) {
  with_marker("operation", data, size);
}
void document_afr_ota(const std::uint8_t* data, std::size_t size) {
  with_marker("afr_ota", data, size);
}

}  // namespace iotjobs_fuzz
