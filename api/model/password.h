#pragma once
// Password generation for GetRandomPassword (BEHAVIOR.md §8), shared with the
// builtin rotation handler.
//
// The four character classes are uppercase, lowercase, digits and the 32
// punctuation characters !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~ ; a space is only
// admitted (IncludeSpace), never required. ExcludeCharacters removes single
// characters from every class. With require_each_included_type, every class
// not switched off must still have a character left and appears at least
// once, at a random position. Every draw is uniform (RandomSource::Uniform).
#include <cstdint>
#include <string>

#include "api/random.h"

namespace sml::api::model {

struct PasswordOptions {
  std::int64_t length = 32;  // 1..4096, validated by the caller
  std::string exclude_characters;
  bool exclude_numbers = false;
  bool exclude_punctuation = false;
  bool exclude_uppercase = false;
  bool exclude_lowercase = false;
  bool include_space = false;
  bool require_each_included_type = true;
};

inline constexpr std::string_view kPasswordPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

// Throws ApiError(kInvalidParameter) with AWS's messages when no password can
// be made: a required class emptied by ExcludeCharacters ("All characters of
// the desired type have been excluded."), nothing left at all ("All
// characters have been excluded from selection."), or a length below the
// number of required classes ("Password length is too short based on the
// required types.").
std::string GeneratePassword(const PasswordOptions& options, RandomSource& random);

}  // namespace sml::api::model
