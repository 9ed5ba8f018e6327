#pragma once
// One page of a filtered secret listing, shared by ListSecrets and
// BatchGetSecretValue(Filters) (BEHAVIOR.md §6).
//
// The repository is scanned in index order from the page token's cursor;
// filters are applied while visiting, and the scan stops as soon as one
// matching secret beyond the page is seen (it proves a NextToken is needed).
// So an unfiltered page reads at most max_results + 1 secrets.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "api/model/secret_filters.h"
#include "storage/store.h"

namespace sml::api::model {

struct SecretListing {
  std::string operation;     // part of the token fingerprint: tokens do not cross operations
  storage::ScanQuery query;  // `after` is ignored; it comes from next_token
  std::vector<SecretFilter> filters;
  std::size_t max_results = 100;
  std::optional<std::string> next_token;
};

struct SecretPage {
  std::vector<storage::SecretRecord> secrets;
  std::optional<std::string> next_token;  // only when more matching secrets exist
};

// Throws ApiError(kInvalidNextToken) for a token of another query.
SecretPage ReadSecretPage(storage::Repository& repo, const SecretListing& listing);

}  // namespace sml::api::model
