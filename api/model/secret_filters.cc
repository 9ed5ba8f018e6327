#include "api/model/secret_filters.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "api/error.h"

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
      break;
  }
  return out;
}

bool IsWordSearch(FilterKey key) {
  return key == FilterKey::kDescription || key == FilterKey::kAll;
}

// Every word of `term` starts some word of some attribute.
bool WordSearchMatches(const std::vector<std::string_view>& attributes, std::string_view term) {
  const auto term_words = SearchWords(term);
  if (term_words.empty()) return false;
  std::vector<std::string_view> attribute_words;
  for (auto attribute : attributes) {
    for (auto word : SearchWords(attribute)) attribute_words.push_back(word);
  }
  return std::all_of(term_words.begin(), term_words.end(), [&](std::string_view term_word) {
    return std::any_of(attribute_words.begin(), attribute_words.end(),
                       [&](std::string_view word) { return StartsWith(word, term_word, false); });
  });
}

// Whether `term` (without its '!') matches any of the attributes.
bool AnyMatches(const std::vector<std::string_view>& attributes, FilterKey key,
                std::string_view term) {
  if (IsWordSearch(key)) return WordSearchMatches(attributes, term);
  return std::any_of(attributes.begin(), attributes.end(), [&](std::string_view attribute) {
    return StartsWith(attribute, term, /*case_sensitive=*/true);
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

std::vector<std::string_view> SearchWords(std::string_view text) {
  auto is_alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  auto is_upper = [](char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; };
  auto is_lower = [](char c) { return std::islower(static_cast<unsigned char>(c)) != 0; };
  auto is_digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
  // Whether a new word starts at text[i], both text[i - 1] and text[i] alphanumeric.
  auto starts_word = [&](std::size_t i) {
    const char before = text[i - 1], here = text[i];
    if (is_digit(before) != is_digit(here)) return true;
    if (is_lower(before) && is_upper(here)) return true;
    return is_upper(before) && is_upper(here) && i + 1 < text.size() && is_lower(text[i + 1]);
  };

  std::vector<std::string_view> words;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const bool separator = i == text.size() || !is_alnum(text[i]);
    if (separator || (i > start && starts_word(i))) {
      if (i > start) words.push_back(text.substr(start, i - start));
      start = separator ? i + 1 : i;
    }
  }
  return words;
}

std::optional<std::vector<RequestedFilter>> ReadFilters(Input& input) {
  auto items = input.StructureList("Filters", {.max_items = 10});
  if (!items) return std::nullopt;
  std::vector<std::string_view> key_names;
  for (const auto& entry : kKeyNames) key_names.push_back(entry.name);

  std::vector<RequestedFilter> filters;
  for (auto& item : *items) {
    auto key = item.String("Key", {.one_of = key_names});
    RequestedFilter filter;
    filter.values = item.StringList(
        "Values", {.min_items = 1, .max_items = 10},
        {.max_length = 512, .matches = &IsValidFilterValue, .pattern = kValuePattern});
    for (const auto& entry : kKeyNames) {
      if (key == entry.name) filter.key = entry.key;
    }
    filters.push_back(std::move(filter));
  }
  return filters;
}

std::vector<SecretFilter> CompleteFilters(std::vector<RequestedFilter> requested) {
  std::vector<SecretFilter> filters;
  filters.reserve(requested.size());
  for (auto& filter : requested) {
    if (!filter.key) throw ApiError(ErrorCode::kInvalidParameter, "Invalid filter key");
    if (!filter.values) {
      throw ApiError(ErrorCode::kInvalidParameter,
                     "Invalid filter values for key: " + std::string(KeyNameOf(*filter.key)));
    }
    filters.push_back({*filter.key, std::move(*filter.values)});
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
