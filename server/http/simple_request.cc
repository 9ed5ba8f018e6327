#include "server/http/simple_request.h"

#include <array>
#include <boost/beast/core/string.hpp>
#include <cstring>

namespace sml::server {
namespace {

namespace http = boost::beast::http;

// RFC 9110 tchar: what method and field names are made of.
constexpr auto kToken = [] {
  std::array<bool, 256> token{};
  for (int c = 0; c < 256; ++c) {
    token[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) token[static_cast<unsigned char>(c)] = true;
  return token;
}();

bool IsToken(char c) { return kToken[static_cast<unsigned char>(c)]; }

// A request-target byte, as Beast's parser takes it: anything but controls,
// SP and DEL.
bool IsTargetByte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u != 0x7f;
}

// The first byte of [p, end) that cannot be in a field value (a control
// other than HTAB, or DEL), or `end`. Eight bytes at a time: a word with no
// byte below 0x20 and none equal to 0x7f is all value bytes.
const char* FindLineEnd(const char* p, const char* end) {
  constexpr std::uint64_t kOnes = 0x0101010101010101, kHigh = 0x8080808080808080;
  while (end - p >= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    const std::uint64_t below_space = (word - 0x20 * kOnes) & ~word & kHigh;
    const std::uint64_t del = word ^ (0x7f * kOnes);
    if ((below_space | ((del - kOnes) & ~del & kHigh)) != 0) break;  // one of these 8
    p += 8;
  }
  for (; p < end; ++p) {
    const auto u = static_cast<unsigned char>(*p);
    if ((u < 0x20 && u != '\t') || u == 0x7f) return p;
  }
  return end;
}

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// A Content-Length Beast's parser reads the same way: one decimal number,
// no list, small enough not to overflow.
std::optional<std::uint64_t> ContentLength(std::string_view value) {
  if (value.empty() || value.size() > 18) return std::nullopt;
  std::uint64_t length = 0;
  for (char c : value) {
    if (c < '0' || c > '9') return std::nullopt;
    length = length * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return length;
}

}  // namespace

std::optional<SimpleRequest> ParseSimpleRequest(std::string_view buffer, std::size_t header_limit,
                                                std::uint64_t body_limit) {
  const char* const begin = buffer.data();
  const char* const end = begin + std::min(buffer.size(), header_limit);
  const char* p = begin;

  // request-line = method SP request-target SP HTTP-version CRLF
  while (p < end && IsToken(*p)) ++p;
  const std::string_view method(begin, static_cast<std::size_t>(p - begin));
  if (method.empty() || p == end || *p != ' ') return std::nullopt;
  const char* const target_begin = ++p;
  while (p < end && IsTargetByte(*p)) ++p;
  const std::string_view target(target_begin, static_cast<std::size_t>(p - target_begin));
  if (target.empty() || p == end || *p != ' ') return std::nullopt;
  ++p;
  constexpr std::string_view kVersion = "HTTP/1.";
  if (end - p < 10 || std::string_view(p, kVersion.size()) != kVersion) return std::nullopt;
  const char minor = p[7];
  if ((minor != '0' && minor != '1') || p[8] != '\r' || p[9] != '\n') return std::nullopt;
  p += 10;

  SimpleRequest request;
  HttpRequest& message = request.message;
  message.method_string(ToBeast(method));
  message.target(ToBeast(target));
  message.version(minor == '1' ? 11 : 10);

  std::optional<std::uint64_t> content_length;
  for (;;) {
    if (end - p < 2) return std::nullopt;
    if (p[0] == '\r') {
      if (p[1] != '\n') return std::nullopt;
      p += 2;
      break;
    }
    // field-line = field-name ":" OWS field-value OWS CRLF
    const char* const name_begin = p;
    while (p < end && IsToken(*p)) ++p;
    const std::string_view name(name_begin, static_cast<std::size_t>(p - name_begin));
    if (name.empty() || p == end || *p != ':') return std::nullopt;
    ++p;
    while (p < end && IsBlank(*p)) ++p;
    const char* const value_begin = p;
    p = FindLineEnd(p, end);
    // (A next line that starts with a blank, obs-fold, has no name: Beast's
    // to unfold.)
    if (end - p < 2 || p[0] != '\r' || p[1] != '\n') return std::nullopt;
    // (Beast's fields drop the blanks around a value.)
    const std::string_view value(value_begin, static_cast<std::size_t>(p - value_begin));
    p += 2;

    const http::field field = http::string_to_field(ToBeast(name));
    switch (field) {
      case http::field::content_length:
        if (content_length) return std::nullopt;
        content_length = ContentLength(value);
        if (!content_length) return std::nullopt;
        break;
      case http::field::connection:
      case http::field::proxy_connection:
        if (!boost::beast::iequals(ToBeast(value), "keep-alive") &&
            !boost::beast::iequals(ToBeast(value), "close")) {
          return std::nullopt;
        }
        break;
      case http::field::transfer_encoding:
      case http::field::upgrade:
        return std::nullopt;
      default:
        break;
    }
    message.insert(field, ToBeast(name), ToBeast(value));
  }
  // The header must fit within the limit, as Beast's parser requires.
  if (static_cast<std::size_t>(p - begin) >= header_limit) return std::nullopt;

  const std::uint64_t body_size = content_length.value_or(0);
  const char* const buffer_end = begin + buffer.size();
  if (body_size > body_limit || body_size > static_cast<std::uint64_t>(buffer_end - p)) {
    return std::nullopt;
  }
  message.body().assign(p, static_cast<std::size_t>(body_size));
  request.size = static_cast<std::size_t>(p - begin) + static_cast<std::size_t>(body_size);
  return request;
}

}  // namespace sml::server
