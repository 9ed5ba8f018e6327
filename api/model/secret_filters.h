#pragma once
// ListSecrets / BatchGetSecretValue filters (BEHAVIOR.md §6).
//
// name, tag-key, tag-value, primary-region, owning-service: case-sensitive
// prefix match. description: case-insensitive prefix match. all: the value is
// split into words at spaces; every word must be a case-insensitive prefix of
// some word of some attribute (name, description, tag keys, tag values,
// primary region, owning service), where an attribute's words are the
// attribute itself and its pieces between non-alphanumeric characters and at
// lower-to-upper case changes ("prod/MyDb" -> prod, My, Db).
//
// A value starting with '!' is negated: it holds when no attribute value
// matches the rest (a secret without the attribute matches). Within one
// filter the values are ORed; separate filters are ANDed.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
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

// Reads the "Filters" member with the model's constraints (≤10 filters, Key
// enum, 1–10 Values of ≤512 characters matching the model's pattern); both
// Key and Values must be given. nullopt when the member is absent. Violations
// go to `input` (reported by input.Finish()).
std::optional<std::vector<SecretFilter>> ReadFilters(Input& input);

// True when `secret` passes every filter (an empty list passes everything).
bool MatchesFilters(const storage::SecretRecord& secret, const std::vector<SecretFilter>& filters);

// The filters as canonical JSON, for fingerprinting a query (page tokens).
nlohmann::json FiltersJson(const std::vector<SecretFilter>& filters);

}  // namespace sml::api::model
