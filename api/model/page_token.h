#pragma once
// Opaque NextToken for ListSecrets and BatchGetSecretValue(Filters).
//
// A token is base64 of a small JSON object holding the ScanCursor (the sort
// value and id of the last secret returned) and a fingerprint of the query
// that produced it (operation, account, region, sort key, order,
// IncludePlannedDeletion, filters). Decoding with a different query's
// fingerprint, or anything that is not one of our tokens, is
// InvalidNextTokenException — a token only continues the listing it came from.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "storage/records.h"
#include "storage/store.h"

namespace sml::api::model {

// A short stable digest (hex) of `query`, which must be canonical JSON
// (the same query always serialises the same way).
std::string QueryFingerprint(const nlohmann::json& query);

std::string EncodePageToken(const storage::ScanCursor& cursor, std::string_view fingerprint);

// Throws ApiError(kInvalidNextToken) unless `token` came from EncodePageToken
// with the same fingerprint.
storage::ScanCursor DecodePageToken(std::string_view token, std::string_view fingerprint);

}  // namespace sml::api::model
