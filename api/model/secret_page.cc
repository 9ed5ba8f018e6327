#include "api/model/secret_page.h"

#include <algorithm>

#include "api/error.h"
#include "api/model/page_token.h"

namespace sml::api::model {

SecretPage ReadSecretPage(storage::Repository& repo, const SecretListing& listing) {
  const nlohmann::json identity = {
      {"operation", listing.operation},
      {"account", listing.query.account_id},
      {"region", listing.query.region},
      {"sort", static_cast<int>(listing.query.sort_key)},
      {"descending", listing.query.descending},
      {"planned_deletion", listing.query.include_planned_deletion},
      {"filters", FiltersJson(listing.filters)},
  };
  const std::string fingerprint = QueryFingerprint(identity);

  storage::ScanQuery query = listing.query;
  query.after.reset();
  if (listing.next_token) {
    query.after = DecodePageToken(*listing.next_token, fingerprint);
    // A date cursor is decimal millis; anything else was not made by us.
    const std::string& value = query.after->sort_value;
    if (query.sort_key != storage::SecretSortKey::kName &&
        (value.empty() || value.size() > 19 ||
         !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))) {
      throw ApiError(ErrorCode::kInvalidNextToken, "The NextToken value is invalid.");
    }
  }

  SecretPage page;
  bool more = false;
  repo.ScanSecrets(query, [&](const storage::SecretRecord& secret) {
    if (!MatchesFilters(secret, listing.filters)) return true;
    if (page.secrets.size() == listing.max_results) {
      more = true;
      return false;
    }
    page.secrets.push_back(secret);
    return true;
  });
  if (more && !page.secrets.empty()) {
    page.next_token =
        EncodePageToken(storage::CursorAfter(page.secrets.back(), query.sort_key), fingerprint);
  }
  return page;
}

}  // namespace sml::api::model
