// NextToken: any text a client sends back is decoded or refused with
// InvalidNextTokenException, and a token we issue decodes to its cursor.
#include <cstdint>
#include <string>
#include <string_view>

#include "api/error.h"
#include "api/model/page_token.h"

using namespace sml::api;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string fingerprint = model::QueryFingerprint({{"Filters", std::string(text)}});
  try {
    model::DecodePageToken(text, fingerprint);
  } catch (const ApiError& e) {
    if (e.code() != ErrorCode::kInvalidNextToken) __builtin_trap();
  }
  // Our own tokens round-trip, whatever the sort value (a stored name need
  // not be valid UTF-8; such a cursor may come back changed, never throw).
  sml::storage::ScanCursor cursor{std::string(text), static_cast<std::int64_t>(size)};
  auto decoded = model::DecodePageToken(model::EncodePageToken(cursor, fingerprint), fingerprint);
  if (decoded.id != cursor.id) __builtin_trap();
  return 0;
}
