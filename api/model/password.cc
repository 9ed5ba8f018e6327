#include "api/model/password.h"

#include <vector>

#include "api/error.h"

namespace sml::api::model {
namespace {

std::string Without(std::string_view chars, std::string_view excluded) {
  std::string out;
  for (char c : chars) {
    if (excluded.find(c) == std::string_view::npos) out.push_back(c);
  }
  return out;
}

}  // namespace

std::string GeneratePassword(const PasswordOptions& options, RandomSource& random) {
  struct CharacterClass {
    std::string_view chars;
    bool excluded;
  };
  const CharacterClass classes[] = {
      {"ABCDEFGHIJKLMNOPQRSTUVWXYZ", options.exclude_uppercase},
      {"abcdefghijklmnopqrstuvwxyz", options.exclude_lowercase},
      {"0123456789", options.exclude_numbers},
      {kPasswordPunctuation, options.exclude_punctuation},
  };

  std::vector<std::string> required;
  std::string pool;
  for (const auto& character_class : classes) {
    if (character_class.excluded) continue;
    std::string left = Without(character_class.chars, options.exclude_characters);
    if (options.require_each_included_type) {
      if (left.empty()) {
        throw ApiError(ErrorCode::kInvalidParameter,
                       "All characters of the desired type have been excluded.");
      }
      required.push_back(left);
    }
    pool += left;
  }
  if (options.include_space) pool += Without(" ", options.exclude_characters);
  if (pool.empty()) {
    throw ApiError(ErrorCode::kInvalidParameter,
                   "All characters have been excluded from selection.");
  }
  if (options.length < 1 || static_cast<std::uint64_t>(options.length) < required.size()) {
    throw ApiError(ErrorCode::kInvalidParameter,
                   "Password length is too short based on the required types.");
  }

  const auto length = static_cast<std::size_t>(options.length);
  std::string password = random.Chars(pool, length);
  // One character of each required class at distinct random positions: a
  // partial Fisher-Yates shuffle of the positions picks them uniformly.
  std::vector<std::size_t> positions(length);
  for (std::size_t i = 0; i < length; ++i) positions[i] = i;
  for (std::size_t i = 0; i < required.size(); ++i) {
    std::size_t j = i + static_cast<std::size_t>(random.Uniform(length - i));
    std::swap(positions[i], positions[j]);
    password[positions[i]] = required[i][random.Uniform(required[i].size())];
  }
  return password;
}

}  // namespace sml::api::model
