// GetRandomPassword (BEHAVIOR.md §8): input checks here, generation in
// model::GeneratePassword.
#include "api/input.h"
#include "api/model/password.h"
#include "api/operations/operations.h"

namespace sml::api::operations {

SML_OPERATION(GetRandomPassword) {
  (void)context;
  Input in(input);
  model::PasswordOptions options;
  if (auto length = in.Integer("PasswordLength", {.min = 1, .max = 4096, .long_shape = true}))
    options.length = *length;
  if (auto excluded = in.String("ExcludeCharacters", {.min_length = 0, .max_length = 4096})) {
    options.exclude_characters = *excluded;
  }
  options.exclude_numbers = in.Bool("ExcludeNumbers").value_or(false);
  options.exclude_punctuation = in.Bool("ExcludePunctuation").value_or(false);
  options.exclude_uppercase = in.Bool("ExcludeUppercase").value_or(false);
  options.exclude_lowercase = in.Bool("ExcludeLowercase").value_or(false);
  options.include_space = in.Bool("IncludeSpace").value_or(false);
  options.require_each_included_type = in.Bool("RequireEachIncludedType").value_or(true);
  in.Finish();
  return nlohmann::json{{"RandomPassword", model::GeneratePassword(options, services.random)}};
}

}  // namespace sml::api::operations
