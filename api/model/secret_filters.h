#pragma once
// ListSecrets / BatchGetSecretValue filters (BEHAVIOR.md §6).
//
// name, tag-key, tag-value, primary-region, owning-service: case-sensitive
// prefix match. description and all: word searches (SearchWords): every word
// of the value must be a case-insensitive prefix of some word of the
// attribute; a value without words matches nothing. description searches the
// description; all searches the name, description, tag keys and tag values.
//
// A value starting with '!' is negated: it holds when no attribute value
// matches the rest (a secret without the attribute matches). Within one
// filter the values are ORed; separate filters, even with the same key, are
// ANDed.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/input.h"
#include "storage/records.h"

namespace sml::api::model {

enum class FilterKey {
  kDescription,
  kName,
  kTagKey,
  kTagValue,
  kPrimaryRegion,
  kOwningService,
  kAll
};

struct SecretFilter {
  FilterKey key = FilterKey::kName;
  std::vector<std::string> values;
};

// A filter as the request gave it. The model lets a filter leave out Key or
// Values; the service refuses it only after the model's checks (see
// CompleteFilters).
struct RequestedFilter {
  std::optional<FilterKey> key;  // nullopt when absent (or not in the enum: a violation)
  std::optional<std::vector<std::string>> values;
};

// Reads the "Filters" member with the model's constraints (≤10 filters, Key
// enum, 1–10 Values of ≤512 characters matching the model's pattern).
// nullopt when the member is absent. Violations go to `input` (reported by
// input.Finish()).
std::optional<std::vector<RequestedFilter>> ReadFilters(Input& input);

// The filters to match with, once input.Finish() has passed. A filter
// without Key is InvalidParameterException "Invalid filter key"; one without
// Values, "Invalid filter values for key: <key>".
std::vector<SecretFilter> CompleteFilters(std::vector<RequestedFilter> requested);

// The words a text splits into for the word searches, as AWS splits them:
// at every character that is not an ASCII letter or digit; where a lower-case
// letter is followed by an upper-case one ("AppBeta" -> App|Beta); where a
// run of capitals meets lower case, before the last capital ("COMPANYthings"
// -> COMPAN|Ythings, "SecretFTag" -> Secret|F|Tag); between letters and
// digits ("Tag1" -> Tag|1). Views into `text`.
std::vector<std::string_view> SearchWords(std::string_view text);

// True when `secret` passes every filter (an empty list passes everything).
bool MatchesFilters(const storage::SecretRecord& secret, const std::vector<SecretFilter>& filters);

// The filters as canonical JSON, for fingerprinting a query (page tokens).
nlohmann::json FiltersJson(const std::vector<SecretFilter>& filters);

}  // namespace sml::api::model
