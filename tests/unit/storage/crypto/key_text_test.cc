#include "storage/crypto/key_text.h"

#include <gtest/gtest.h>

namespace sml::storage {
namespace {

Aes256Key Sequence() {
  Aes256Key key;
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i * 8 + 1);
  return key;
}

// python3 -c "import base64;print(base64.b64encode(bytes(i*8+1 for i in range(32))).decode())"
constexpr char kSequenceBase64[] = "AQkRGSEpMTlBSVFZYWlxeYGJkZmhqbG5wcnR2eHp8fk=";
constexpr char kSequenceHex[] = "0109111921293139414951596169717981899199a1a9b1b9c1c9d1d9e1e9f1f9";

TEST(KeyText, HexEncode_IsLowerCaseTwoDigitsPerByte) {
  EXPECT_EQ(HexEncode(Sequence()), kSequenceHex);
  std::uint8_t bytes[] = {0x00, 0xab, 0x0f};
  EXPECT_EQ(HexEncode(bytes), "00ab0f");
}

TEST(KeyText, DecodeHexKey_AcceptsEitherCase) {
  EXPECT_EQ(DecodeHexKey(kSequenceHex), Sequence());
  std::string upper = kSequenceHex;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(DecodeHexKey(upper), Sequence());
}

TEST(KeyText, DecodeHexKey_RejectsWrongLengthOrDigits) {
  std::string hex = kSequenceHex;
  EXPECT_FALSE(DecodeHexKey(hex.substr(2)));
  EXPECT_FALSE(DecodeHexKey(hex + "00"));
  EXPECT_FALSE(DecodeHexKey(hex.substr(1) + "g"));
  EXPECT_FALSE(DecodeHexKey(""));
}

TEST(KeyText, DecodeBase64Key_AcceptsPaddedAndUnpadded) {
  std::string base64 = kSequenceBase64;
  EXPECT_EQ(DecodeBase64Key(base64), Sequence());
  EXPECT_EQ(DecodeBase64Key(base64.substr(0, 43)), Sequence());
}

TEST(KeyText, DecodeBase64Key_RejectsWrongLengthAlphabetOrNonCanonical) {
  std::string base64 = kSequenceBase64;
  EXPECT_FALSE(DecodeBase64Key(base64.substr(0, 42) + "=="));  // 31 bytes
  EXPECT_FALSE(DecodeBase64Key("AAAA" + base64));              // 35 bytes
  EXPECT_FALSE(DecodeBase64Key(base64.substr(0, 42) + "*="));  // not base64
  EXPECT_FALSE(DecodeBase64Key(base64.substr(0, 42) + "l="));  // 'l' has stray low bits
  EXPECT_FALSE(DecodeBase64Key(base64 + "="));
  EXPECT_FALSE(DecodeBase64Key(kSequenceHex));
}

}  // namespace
}  // namespace sml::storage
