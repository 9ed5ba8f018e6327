#pragma once
// Small ASCII text helpers shared by the policy checker, SigV4 and the admin
// endpoints. Byte-oriented: AWS names, headers and keys are ASCII.
#include <string>
#include <string_view>
#include <vector>

namespace sml::api {

// Without leading and trailing spaces, tabs, CR and LF.
std::string_view Trim(std::string_view text);
std::string ToLower(std::string_view text);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
// "a,b,,c" -> {"a","b","","c"}; views into `text`.
std::vector<std::string_view> Split(std::string_view text, char separator);
// %XX escapes decoded (and '+' as a space when `plus_is_space`, as in a
// query string); a malformed escape is kept as it is.
std::string PercentDecode(std::string_view text, bool plus_is_space = false);

}  // namespace sml::api
