#pragma once
// The JSON body of an API request as a document (BEHAVIOR.md §1: an empty
// body means {}; a body that is not a JSON object is a
// SerializationException).
//
// Most SDK requests are a flat object of ASCII strings, booleans and small
// counts; those are read by a small scanner of our own, which builds exactly
// the document nlohmann::json::parse would. Anything else (nesting, numbers
// beyond a plain count, \u escapes, bytes beyond ASCII, any syntax error)
// goes to nlohmann's parser, which also words the errors.
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace sml::server {

nlohmann::json ParseRequestBody(std::string_view body);

// The scanner alone: the document, or nullopt when `body` is not in its
// subset (exposed for the test that compares it with nlohmann's parser).
std::optional<nlohmann::json> ParseFlatObject(std::string_view body);

}  // namespace sml::server
