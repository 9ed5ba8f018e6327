#include "api/model/secret_filters.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace sml::api::model {
namespace {

struct KeyName {
  FilterKey key;
  std::string_view name;
};
constexpr std::array kKeyNames = {
    KeyName{FilterKey::kDescription, "description"},
    KeyName{FilterKey::kName, "name"},
    KeyName{FilterKey::kTagKey, "tag-key"},
    KeyName{FilterKey::kTagValue, "tag-value"},
    KeyName{FilterKey::kPrimaryRegion, "primary-region"},
    KeyName{FilterKey::kOwningService, "owning-service"},
    KeyName{FilterKey::kAll, "all"},
};

constexpr const char* kValuePattern = "^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-\\!]*$";

// The model's pattern: an optional leading '!' is already covered by the
// class, which admits '!' anywhere.
bool IsValidFilterValue(std::string_view value) {
  return std::all_of(value.begin(), value.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view(" :_@/+=.-!").find(c) != std::string_view::npos;
  });
}

std::string_view KeyNameOf(FilterKey key) {
  for (const auto& entry : kKeyNames) {
    if (entry.key == key) return entry.name;
  }
  return "";
}

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool StartsWith(std::string_view text, std::string_view prefix, bool case_sensitive) {
  if (prefix.size() > text.size()) return false;
  if (case_sensitive) return text.starts_with(prefix);
  return std::equal(prefix.begin(), prefix.end(), text.begin(),
                    [](char a, char b) { return Lower(a) == Lower(b); });
}

// An attribute's words for the `all` key: itself, and its pieces between
// non-alphanumeric characters and at lower-to-upper case changes.
std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> words{text};
  std::size_t start = 0;
  auto flush = [&](std::size_t end) {
    if (end > start) words.push_back(text.substr(start, end - start));
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (!std::isalnum(c)) {
      flush(i);
      start = i + 1;
    } else if (i > start && std::isupper(c) &&
               std::islower(static_cast<unsigned char>(text[i - 1]))) {
      flush(i);
      start = i;
    }
  }
  flush(text.size());
  return words;
}

std::vector<std::string_view> Attributes(const storage::SecretRecord& secret, FilterKey key) {
  std::vector<std::string_view> out;
  auto add = [&](const std::optional<std::string>& value) {
    if (value) out.push_back(*value);
  };
  // model::PrimaryRegionOf, as views into `secret`: a primary with replicas
  // is in its own primary region.
  auto add_primary_region = [&] {
    if (secret.primary_region) {
      out.push_back(*secret.primary_region);
    } else if (secret.replication_status_json) {
      out.push_back(secret.region);
    }
  };
  auto add_tags = [&](bool keys) {
    if (!secret.tags) return;
    for (const auto& tag : *secret.tags) out.push_back(keys ? tag.key : tag.value);
  };
  switch (key) {
    case FilterKey::kName:
      out.push_back(secret.name);
      break;
    case FilterKey::kDescription:
      add(secret.description);
      break;
    case FilterKey::kTagKey:
      add_tags(true);
      break;
    case FilterKey::kTagValue:
      add_tags(false);
      break;
    case FilterKey::kPrimaryRegion:
      add_primary_region();
      break;
    case FilterKey::kOwningService:
      add(secret.owning_service);
      break;
    case FilterKey::kAll:
      out.push_back(secret.name);
      add(secret.description);
      add_tags(true);
      add_tags(false);
      add_primary_region();
      add(secret.owning_service);
      break;
  }
  return out;
}

// Whether `term` (without its '!') matches any of the attributes.
bool AnyMatches(const std::vector<std::string_view>& attributes, FilterKey key,
                std::string_view term) {
  if (key == FilterKey::kAll) {
    // Every word of the term must start some word of some attribute.
    std::size_t start = 0;
    while (start <= term.size()) {
      std::size_t space = term.find(' ', start);
      if (space == std::string_view::npos) space = term.size();
      std::string_view word = term.substr(start, space - start);
      start = space + 1;
      if (word.empty()) continue;
      bool found = false;
      for (auto attribute : attributes) {
        for (auto attribute_word : Words(attribute)) {
          if (StartsWith(attribute_word, word, false)) {
            found = true;
            break;
          }
        }
        if (found) break;
      }
      if (!found) return false;
    }
    return !attributes.empty();
  }
  const bool case_sensitive = key != FilterKey::kDescription;
  return std::any_of(attributes.begin(), attributes.end(), [&](std::string_view attribute) {
    return StartsWith(attribute, term, case_sensitive);
  });
}

bool MatchesFilter(const storage::SecretRecord& secret, const SecretFilter& filter) {
  const auto attributes = Attributes(secret, filter.key);
  return std::any_of(filter.values.begin(), filter.values.end(), [&](const std::string& value) {
    if (value.starts_with('!')) {
      return !AnyMatches(attributes, filter.key, std::string_view(value).substr(1));
    }
    return AnyMatches(attributes, filter.key, value);
  });
}

}  // namespace

std::optional<std::vector<SecretFilter>> ReadFilters(Input& input) {
  auto items = input.StructureList("Filters", {.max_items = 10});
  if (!items) return std::nullopt;
  std::vector<std::string_view> key_names;
  for (const auto& entry : kKeyNames) key_names.push_back(entry.name);

  std::vector<SecretFilter> filters;
  for (auto& item : *items) {
    auto key = item.String("Key", {.required = true, .one_of = key_names});
    auto values = item.StringList(
        "Values", {.required = true, .min_items = 1, .max_items = 10},
        {.max_length = 512, .matches = &IsValidFilterValue, .pattern = kValuePattern});
    SecretFilter filter;
    if (key) {
      for (const auto& entry : kKeyNames) {
        if (entry.name == *key) filter.key = entry.key;
      }
    }
    if (values) filter.values = std::move(*values);
    filters.push_back(std::move(filter));
  }
  return filters;
}

bool MatchesFilters(const storage::SecretRecord& secret, const std::vector<SecretFilter>& filters) {
  return std::all_of(filters.begin(), filters.end(),
                     [&](const SecretFilter& filter) { return MatchesFilter(secret, filter); });
}

nlohmann::json FiltersJson(const std::vector<SecretFilter>& filters) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& filter : filters) {
    out.push_back({{"Key", KeyNameOf(filter.key)}, {"Values", filter.values}});
  }
  return out;
}

}  // namespace sml::api::model
