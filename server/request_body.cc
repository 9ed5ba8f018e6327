#include "server/request_body.h"

#include <cstdint>
#include <string>

#include "api/error.h"

namespace sml::server {
namespace {

// Reads the flat-object subset of JSON; any byte outside it ends the scan
// (the caller falls back to the full parser).
class FlatScanner {
 public:
  explicit FlatScanner(std::string_view text) : p_(text.data()), end_(p_ + text.size()) {}

  std::optional<nlohmann::json> Object() {
    nlohmann::json object = nlohmann::json::object();
    SkipSpace();
    if (!Take('{')) return std::nullopt;
    SkipSpace();
    if (!Take('}')) {
      do {
        SkipSpace();
        std::string key;
        if (!String(key)) return std::nullopt;
        SkipSpace();
        if (!Take(':')) return std::nullopt;
        SkipSpace();
        std::optional<nlohmann::json> value = Scalar();
        if (!value) return std::nullopt;
        // A repeated key: the last wins, as in nlohmann.
        object[std::move(key)] = std::move(*value);
        SkipSpace();
      } while (Take(','));
      if (!Take('}')) return std::nullopt;
    }
    SkipSpace();
    if (p_ != end_) return std::nullopt;
    return object;
  }

 private:
  bool Take(char c) {
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }

  void SkipSpace() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }

  bool Word(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() ||
        std::string_view(p_, word.size()) != word) {
      return false;
    }
    p_ += word.size();
    return true;
  }

  std::optional<nlohmann::json> Scalar() {
    if (p_ == end_) return std::nullopt;
    if (*p_ == '"') {
      std::string text;
      if (!String(text)) return std::nullopt;
      return nlohmann::json(std::move(text));
    }
    if (Word("true")) return nlohmann::json(true);
    if (Word("false")) return nlohmann::json(false);
    if (Word("null")) return nlohmann::json(nullptr);
    return Count();
  }

  // A non-negative integer of at most 18 digits, no leading zero: what
  // nlohmann stores as number_unsigned. Signs, fractions and exponents are
  // left to it.
  std::optional<nlohmann::json> Count() {
    const char* start = p_;
    std::uint64_t value = 0;
    while (p_ != end_ && *p_ >= '0' && *p_ <= '9') value = value * 10 + (*p_++ - '0');
    const auto digits = p_ - start;
    if (digits == 0 || digits > 18 || (digits > 1 && *start == '0')) return std::nullopt;
    if (p_ != end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) return std::nullopt;
    return nlohmann::json(value);
  }

  // A string of printable ASCII with the short escapes; \u and any other
  // byte are left to nlohmann (it validates UTF-8 and surrogates).
  bool String(std::string& out) {
    if (!Take('"')) return false;
    for (;;) {
      const char* run = p_;
      while (p_ != end_ && *p_ != '"' && *p_ != '\\' && *p_ >= 0x20 && *p_ < 0x7F) ++p_;
      out.append(run, p_);
      if (p_ == end_) return false;
      if (*p_ == '"') {
        ++p_;
        return true;
      }
      if (*p_ != '\\' || end_ - p_ < 2) return false;
      const char escaped = Unescape(p_[1]);
      if (escaped == 0) return false;
      out.push_back(escaped);
      p_ += 2;
    }
  }

  static char Unescape(char c) {
    switch (c) {
      case '"':
        return '"';
      case '\\':
        return '\\';
      case '/':
        return '/';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      default:
        return 0;
    }
  }

  const char* p_;
  const char* const end_;
};

}  // namespace

std::optional<nlohmann::json> ParseFlatObject(std::string_view body) {
  return FlatScanner(body).Object();
}

nlohmann::json ParseRequestBody(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return nlohmann::json::object();
  }
  if (std::optional<nlohmann::json> flat = ParseFlatObject(body)) return std::move(*flat);
  nlohmann::json input;
  try {
    input = nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() quotes the request body, which may hold a secret value: say
    // only where parsing stopped.
    throw api::ApiError(api::ErrorCode::kSerialization,
                        "The request body is not valid JSON (syntax error at byte " +
                            std::to_string(e.byte) + ").");
  } catch (const nlohmann::json::exception&) {
    // e.g. a number beyond a double's range (1e400)
    throw api::ApiError(api::ErrorCode::kSerialization,
                        "The request body holds a number that cannot be represented.");
  }
  if (!input.is_object()) {
    throw api::ApiError(api::ErrorCode::kSerialization, "The request body must be a JSON object.");
  }
  return input;
}

}  // namespace sml::server
