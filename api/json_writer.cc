#include "api/json_writer.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>

namespace sml::api {
namespace {

// Per byte: 0 written as it is, the letter of its escape ('u': \u00XX),
// or 1 for a byte of UTF-8 (or invalid UTF-8) beyond ASCII.
constexpr auto kEscapes = [] {
  std::array<char, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = 'u';
  table['\b'] = 'b';
  table['\t'] = 't';
  table['\n'] = 'n';
  table['\f'] = 'f';
  table['\r'] = 'r';
  table['"'] = '"';
  table['\\'] = '\\';
  for (int c = 0x80; c < 0x100; ++c) table[c] = 1;
  return table;
}();
static_assert([] {
  for (int c = 0; c < 0x100; ++c) {
    if ((kEscapes[c] != 0) != NeedsCareInJson(static_cast<unsigned char>(c))) return false;
  }
  return true;
}());

// Whether any of the 8 bytes at `p` is one the table does not pass through
// (below 0x20, '"', '\\', or beyond ASCII): the plain runs of names, ARNs and
// values are skipped a word at a time.
bool WordNeedsCare(const unsigned char* p) {
  constexpr std::uint64_t kOnes = 0x0101010101010101;
  constexpr std::uint64_t kHighs = 0x8080808080808080;
  std::uint64_t word;
  std::memcpy(&word, p, sizeof word);
  const std::uint64_t quote = word ^ (kOnes * '"');
  const std::uint64_t backslash = word ^ (kOnes * '\\');
  const std::uint64_t below_space = (word - kOnes * 0x20) & ~word;
  const std::uint64_t zero_quote = (quote - kOnes) & ~quote;
  const std::uint64_t zero_backslash = (backslash - kOnes) & ~backslash;
  return ((below_space | zero_quote | zero_backslash | word) & kHighs) != 0;
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::size_t start = out.size();
  out.push_back('"');
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* const end = p + text.size();
  while (p != end) {
    const auto* plain = p;  // a run written as it is
    while (end - p >= 8 && !WordNeedsCare(p)) p += 8;
    while (p != end && kEscapes[*p] == 0) ++p;
    out.append(reinterpret_cast<const char*>(plain), static_cast<std::size_t>(p - plain));
    if (p == end) break;
    const char escape = kEscapes[*p];
    if (escape == 1) {
      // UTF-8 (and its invalid forms) exactly as dump() treats it; rare on
      // the hot paths, where names and values are mostly ASCII.
      out.resize(start);
      out += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      return;
    }
    out.push_back('\\');
    out.push_back(escape);
    if (escape == 'u') {
      out += "00";
      out.push_back(kHex[*p >> 4]);
      out.push_back(kHex[*p & 0xF]);
    }
    ++p;
  }
  out.push_back('"');
}

void JsonWriter::Open(char bracket) {
  BeforeValue();
  out_.push_back(bracket);
  after_value_ = false;
}

void JsonWriter::Close(char bracket) {
  out_.push_back(bracket);
  after_value_ = true;
}

void JsonWriter::BeforeValue() {
  if (after_value_) out_.push_back(',');
}

void JsonWriter::TextKey(std::string_view key) {
  BeforeValue();
  AppendJsonString(out_, key);
  out_.push_back(':');
  after_value_ = false;
}

void JsonWriter::Key(PlainKey key) {
  BeforeValue();
  out_.push_back('"');
  out_.append(key.text());
  out_.append("\":", 2);
  after_value_ = false;
}

void JsonWriter::String(std::string_view value) {
  BeforeValue();
  AppendJsonString(out_, value);
  after_value_ = true;
}

void JsonWriter::Int(std::int64_t value) {
  BeforeValue();
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out_.append(digits, end);
  after_value_ = true;
}

void JsonWriter::Double(double value) {
  BeforeValue();
  // dump()'s own shortest round-trip form (Grisu2), so that both agree.
  char digits[64];
  char* end = nlohmann::detail::to_chars(digits, digits + sizeof digits, value);
  out_.append(digits, end);
  after_value_ = true;
}

void JsonWriter::Bool(bool value) {
  BeforeValue();
  out_ += value ? "true" : "false";
  after_value_ = true;
}

void JsonWriter::Json(const nlohmann::json& value) {
  BeforeValue();
  out_ += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  after_value_ = true;
}

void JsonWriter::Raw(std::string_view json_text) {
  BeforeValue();
  out_ += json_text;
  after_value_ = true;
}

}  // namespace sml::api
