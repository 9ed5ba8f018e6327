#include "api/model/page_token.h"

#include <openssl/evp.h>

#include "api/error.h"
#include "api/input.h"

namespace sml::api::model {
namespace {

ApiError InvalidNextToken() {
  return {ErrorCode::kInvalidNextToken, "The NextToken value is invalid."};
}

}  // namespace

std::string QueryFingerprint(const nlohmann::json& query) {
  // Stored names are not guaranteed UTF-8: serialise without throwing.
  const std::string text = query.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  // 16 bytes tell queries apart; the token need not carry the whole digest.
  for (unsigned int i = 0; i < std::min(size, 16u); ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xF]);
  }
  return out;
}

std::string EncodePageToken(const storage::ScanCursor& cursor, std::string_view fingerprint) {
  nlohmann::json token = {{"s", cursor.sort_value}, {"i", cursor.id}, {"q", fingerprint}};
  return EncodeBase64(token.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

storage::ScanCursor DecodePageToken(std::string_view token, std::string_view fingerprint) {
  auto bytes = DecodeBase64(token);
  if (!bytes) throw InvalidNextToken();
  auto json = nlohmann::json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) throw InvalidNextToken();
  auto s = json.find("s");
  auto i = json.find("i");
  auto q = json.find("q");
  if (s == json.end() || !s->is_string() || i == json.end() || !i->is_number_integer() ||
      q == json.end() || !q->is_string() || q->get_ref<const std::string&>() != fingerprint) {
    throw InvalidNextToken();
  }
  return {s->get<std::string>(), i->get<std::int64_t>()};
}

}  // namespace sml::api::model
