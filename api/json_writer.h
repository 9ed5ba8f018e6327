#pragma once
// JSON text written straight into a string, for answers whose shape is fixed
// (the hot reads): no document is built. It writes exactly the bytes
// nlohmann::json::dump(-1, ' ', false, error_handler_t::replace) writes for
// the same document, provided the caller writes an object's keys in sorted
// order (nlohmann keeps them in a std::map): the same escapes, raw UTF-8,
// invalid UTF-8 replaced by U+FFFD.
//
// The caller writes a well-formed document; nothing is checked.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace sml::api {

// Whether a JSON string holds `byte` other than as itself: an escape (below
// 0x20, '"', '\\') or, beyond ASCII, UTF-8 that dump() checks.
constexpr bool NeedsCareInJson(unsigned char byte) {
  return byte < 0x20 || byte >= 0x80 || byte == '"' || byte == '\\';
}

// A key spelled in the code, such as "ARN". The check runs as the code
// compiles (consteval): a literal that would need an escape does not compile
// here and goes to JsonWriter::TextKey instead, so that writing one costs no
// scan of its bytes.
class PlainKey {
 public:
  template <std::size_t N>
  consteval PlainKey(const char (&key)[N]) : text_(key, N - 1) {  // NOLINT: implicit on purpose
    for (const char c : text_) {
      if (NeedsCareInJson(static_cast<unsigned char>(c))) {
        throw "this key needs an escape: use JsonWriter::TextKey";
      }
    }
  }
  constexpr std::string_view text() const { return text_; }

 private:
  std::string_view text_;
};

class JsonWriter {
 public:
  JsonWriter() { out_.reserve(512); }  // a typical answer in one allocation

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  // A key spelled in the code (PlainKey: checked as it compiles).
  void Key(PlainKey key);
  // A key from data: escaped as needed.
  void TextKey(std::string_view key);

  void String(std::string_view value);
  void Int(std::int64_t value);
  void Double(double value);
  void Bool(bool value);
  // What dump() writes for `value` (for stored JSON, nested in this text).
  void Json(const nlohmann::json& value);
  // A value another JsonWriter wrote.
  void Raw(std::string_view json_text);
  // An array of strings.
  template <typename Strings>
  void StringArray(const Strings& values) {
    BeginArray();
    for (const auto& value : values) String(value);
    EndArray();
  }

  // Key and value in one call.
  void Member(PlainKey key, std::string_view value) {
    Key(key);
    String(value);
  }

  const std::string& text() const { return out_; }
  std::string Take() && { return std::move(out_); }

 private:
  void Open(char bracket);
  void Close(char bracket);
  void BeforeValue();

  std::string out_;
  bool after_value_ = false;  // the next array element needs a comma
};

// `text` as a JSON string literal (quotes included), appended to `out`.
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace sml::api
