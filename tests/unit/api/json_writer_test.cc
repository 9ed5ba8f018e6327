#include "api/json_writer.h"

#include <gtest/gtest.h>

#include <random>

#include "api/model/timestamps.h"

namespace sml::api {
namespace {

std::string Dumped(const nlohmann::json& document) {
  return document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string Written(std::string_view text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

TEST(JsonWriter, StringsAreEscapedAsDumpEscapesThem) {
  for (std::string_view text :
       {std::string_view(""), std::string_view("plain"), std::string_view("q\"b\\s/"),
        std::string_view("\b\f\n\r\t"), std::string_view("\x01\x1f\x7f", 3),
        std::string_view("\0nul", 4), std::string_view("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91"),
        std::string_view("bad \xff lead"), std::string_view("cut \xe2\x82"),
        std::string_view("cut \xe2\x82 mid"), std::string_view("over \xc0\xaf long"),
        std::string_view("surrogate \xed\xa0\x80")}) {
    EXPECT_EQ(Written(text), Dumped(std::string(text)))
        << nlohmann::json(text).dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
  }
}

TEST(JsonWriter, KeysAreWrittenAsDumpWritesThem) {
  JsonWriter out;
  out.BeginObject();   // keys in dump()'s (sorted) order
  out.TextKey("\tx");  // keys that need escapes go through TextKey
  out.Int(1);
  out.Member("ARN", "a");
  out.TextKey("q\"uote\\d");
  out.String("b");
  out.EndObject();
  const nlohmann::json document = {{"ARN", "a"}, {"q\"uote\\d", "b"}, {"\tx", 1}};
  EXPECT_EQ(out.text(), Dumped(document));
}

TEST(JsonWriter, RandomBytesAreEscapedAsDumpEscapesThem) {
  std::mt19937 random(20261129);
  // Mostly ASCII with control characters, quotes and backslashes; some high
  // bytes, so that valid and invalid UTF-8 both occur.
  const std::string alphabet = std::string("ab\"\\/\n\t\x01\x1f\x7f ", 11) +
                               "\xc3\xa9\xe2\x82\xac\xf0\x9f\x94\x91\xff\x80\xed";
  for (int i = 0; i < 5000; ++i) {
    std::string text(random() % 24, ' ');
    for (char& c : text) c = alphabet[random() % alphabet.size()];
    ASSERT_EQ(Written(text), Dumped(text));
  }
}

// Long plain runs with one byte that needs care at every offset of an
// 8-byte word (the writer skips plain runs a word at a time).
TEST(JsonWriter, SpecialBytesAtEveryOffsetOfLongRuns) {
  const std::string specials = std::string("\"\\\n\x01\x1f\x00\x7f\x80\xff\xc3\xa9 ~", 13);
  for (std::size_t length = 1; length <= 40; ++length) {
    for (std::size_t at = 0; at < length; ++at) {
      for (char special : specials) {
        std::string text(length, 'a');
        text[at] = special;
        ASSERT_EQ(Written(text), Dumped(text)) << length << " " << at << " " << int(special);
      }
    }
  }
}

TEST(JsonWriter, DocumentMatchesDumpOfTheSameDocumentWithSortedKeys) {
  JsonWriter out;
  out.BeginObject();
  out.Member("ARN", "arn:aws:secretsmanager:us-east-1:000000000000:secret:a-AbCdEf");
  out.Key("CreatedDate");
  model::WriteAwsTimestamp(out, 1'732'896'000'123);
  out.Key("Empty");
  out.BeginArray();
  out.EndArray();
  out.Key("Flag");
  out.Bool(false);
  out.Key("LastChangedDate");
  model::WriteAwsTimestamp(out, 1'732'896'000'000);
  out.Key("Nested");
  out.BeginObject();
  out.Key("v1");
  out.StringArray(std::vector<std::string>{"AWSCURRENT", "AWSPREVIOUS"});
  out.Key("v2");
  out.StringArray(std::vector<std::string>{});
  out.EndObject();
  out.Key("Rules");
  out.Json(nlohmann::json::parse(R"j({"ScheduleExpression":"rate(1 day)","Duration":"2h"})j"));
  out.Key("Tags");
  out.BeginArray();
  for (int i = 0; i < 2; ++i) {
    out.BeginObject();
    out.Member("Key", "k" + std::to_string(i));
    out.Member("Value", "v");
    out.EndObject();
  }
  out.EndArray();
  out.EndObject();

  nlohmann::json document = {
      {"ARN", "arn:aws:secretsmanager:us-east-1:000000000000:secret:a-AbCdEf"},
      {"CreatedDate", model::ToAwsTimestamp(1'732'896'000'123)},
      {"Empty", nlohmann::json::array()},
      {"Flag", false},
      {"LastChangedDate", model::ToAwsTimestamp(1'732'896'000'000)},
      {"Nested", {{"v1", {"AWSCURRENT", "AWSPREVIOUS"}}, {"v2", nlohmann::json::array()}}},
      {"Rules", {{"ScheduleExpression", "rate(1 day)"}, {"Duration", "2h"}}},
      {"Tags", {{{"Key", "k0"}, {"Value", "v"}}, {{"Key", "k1"}, {"Value", "v"}}}}};
  EXPECT_EQ(out.text(), Dumped(document));
}

TEST(JsonWriter, TimestampsAreWrittenAsToAwsTimestampDumps) {
  for (EpochMillis millis : {EpochMillis{0}, EpochMillis{1}, EpochMillis{999}, EpochMillis{1'500},
                             EpochMillis{1'732'896'000'010}, EpochMillis{1'732'896'000'100},
                             EpochMillis{1'732'896'000'999}, EpochMillis{-1'500}}) {
    JsonWriter out;
    model::WriteAwsTimestamp(out, millis);
    EXPECT_EQ(out.text(), Dumped(model::ToAwsTimestamp(millis))) << millis;
  }
}

// Every millisecond of a few seconds across the range, and half a million
// random dates up to year 9999: the decimal form equals dump's float form.
TEST(JsonWriter, TimestampDecimalsAgreeWithDumpOverTheWholeRange) {
  auto expect_same = [](EpochMillis millis) {
    JsonWriter out;
    model::WriteAwsTimestamp(out, millis);
    ASSERT_EQ(out.text(), Dumped(model::ToAwsTimestamp(millis))) << millis;
  };
  for (EpochMillis second : {EpochMillis{0}, EpochMillis{946'684'800'000},
                             EpochMillis{1'732'896'000'000}, EpochMillis{253'402'300'799'000}}) {
    for (EpochMillis ms = 0; ms < 1000; ++ms) expect_same(second + ms);
  }
  std::mt19937_64 random(20261129);
  for (int i = 0; i < 500'000; ++i) {
    expect_same(static_cast<EpochMillis>(random() % 253'402'300'800'000));
  }
}

}  // namespace
}  // namespace sml::api
