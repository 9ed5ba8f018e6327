#include "storage/crypto/aes_gcm_cipher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace sml::storage {
namespace {

using namespace std::string_literals;

Aes256Key KeyFilledWith(std::uint8_t byte) {
  Aes256Key key;
  key.fill(byte);
  return key;
}

class AesGcmCipherTest : public ::testing::Test {
 protected:
  AesGcmCipher cipher_{KeyFilledWith(0x11)};
  std::string wrapped_key_ = cipher_.NewWrappedDataKey();
  const std::string context_ = "secret 42 / version 3f2b";

  std::string Seal(std::string_view plaintext) {
    return cipher_.Encrypt(wrapped_key_, plaintext, context_);
  }
  std::string Open(std::string_view ciphertext) {
    return cipher_.Decrypt(wrapped_key_, ciphertext, context_);
  }
};

std::string FlipBit(std::string bytes, std::size_t index, int bit = 0) {
  bytes.at(index) = static_cast<char>(bytes.at(index) ^ (1 << bit));
  return bytes;
}

TEST_F(AesGcmCipherTest, RoundTrip_String) {
  std::string ciphertext = Seal(R"({"username":"admin","password":"hunter2"})");
  EXPECT_EQ(Open(ciphertext), R"({"username":"admin","password":"hunter2"})");
}

TEST_F(AesGcmCipherTest, RoundTrip_BinaryWithNuls) {
  std::string binary = "\0\x01\xff\0abc\0"s;
  ASSERT_EQ(binary.size(), 8u);
  EXPECT_EQ(Open(Seal(binary)), binary);
}

TEST_F(AesGcmCipherTest, RoundTrip_EmptyPlaintext) {
  std::string ciphertext = Seal("");
  EXPECT_EQ(ciphertext.size(), AesGcmCipher::kOverhead);
  EXPECT_EQ(Open(ciphertext), "");
}

TEST_F(AesGcmCipherTest, RoundTrip_EmptyContext) {
  std::string ciphertext = cipher_.Encrypt(wrapped_key_, "value", "");
  EXPECT_EQ(cipher_.Decrypt(wrapped_key_, ciphertext, ""), "value");
  EXPECT_THROW(cipher_.Decrypt(wrapped_key_, ciphertext, "x"), DecryptionError);
}

TEST_F(AesGcmCipherTest, RoundTrip_64KiBValue) {
  std::string large(64 * 1024, '\0');
  for (std::size_t i = 0; i < large.size(); ++i) large[i] = static_cast<char>(i * 131 % 251);
  std::string ciphertext = Seal(large);
  EXPECT_EQ(ciphertext.size(), large.size() + AesGcmCipher::kOverhead);
  EXPECT_EQ(Open(ciphertext), large);
}

TEST_F(AesGcmCipherTest, Ciphertext_DoesNotContainPlaintext) {
  std::string plaintext = "a fairly recognisable secret value";
  std::string ciphertext = Seal(plaintext);
  EXPECT_EQ(ciphertext.find(plaintext), std::string::npos);
  EXPECT_EQ(ciphertext.find("recognisable"), std::string::npos);
}

TEST_F(AesGcmCipherTest, SameValueTwice_GivesDifferentCiphertexts) {
  std::string first = Seal("same value");
  std::string second = Seal("same value");
  EXPECT_NE(first, second);
  EXPECT_EQ(Open(first), Open(second));
}

TEST_F(AesGcmCipherTest, NewWrappedDataKey_IsFixedSizeAndFreshEachTime) {
  std::string other = cipher_.NewWrappedDataKey();
  EXPECT_EQ(wrapped_key_.size(), AesGcmCipher::kWrappedKeySize);
  EXPECT_EQ(other.size(), AesGcmCipher::kWrappedKeySize);
  EXPECT_NE(wrapped_key_, other);
}

TEST_F(AesGcmCipherTest, OtherSecretsDataKey_IsRejected) {
  std::string other_key = cipher_.NewWrappedDataKey();
  std::string ciphertext = Seal("value");
  EXPECT_THROW(cipher_.Decrypt(other_key, ciphertext, context_), DecryptionError);
}

TEST_F(AesGcmCipherTest, WrongMasterKey_IsRejected) {
  std::string ciphertext = Seal("value");
  AesGcmCipher other(KeyFilledWith(0x22));
  EXPECT_THROW(other.Decrypt(wrapped_key_, ciphertext, context_), DecryptionError);
  EXPECT_THROW(other.Encrypt(wrapped_key_, "value", context_), DecryptionError);
}

TEST_F(AesGcmCipherTest, SameMasterKeyInAnotherInstance_Decrypts) {
  std::string ciphertext = Seal("survives a restart");
  AesGcmCipher restarted(KeyFilledWith(0x11));
  EXPECT_EQ(restarted.Decrypt(wrapped_key_, ciphertext, context_), "survives a restart");
}

TEST_F(AesGcmCipherTest, WrongContext_IsRejected) {
  std::string ciphertext = Seal("value");
  EXPECT_THROW(cipher_.Decrypt(wrapped_key_, ciphertext, context_ + "x"), DecryptionError);
  EXPECT_THROW(cipher_.Decrypt(wrapped_key_, ciphertext, ""), DecryptionError);
}

TEST_F(AesGcmCipherTest, EveryFlippedBitInCiphertext_IsRejected) {
  // Covers version byte, nonce, body and tag.
  std::string ciphertext = Seal("value");
  for (std::size_t i = 0; i < ciphertext.size(); ++i) {
    for (int bit : {0, 7}) {
      EXPECT_THROW(Open(FlipBit(ciphertext, i, bit)), DecryptionError) << "byte " << i;
    }
  }
}

TEST_F(AesGcmCipherTest, FlippedBitInNonceBodyOrTag_IsRejected) {
  std::string ciphertext = Seal("value");
  EXPECT_THROW(Open(FlipBit(ciphertext, 1)), DecryptionError);                      // nonce
  EXPECT_THROW(Open(FlipBit(ciphertext, 13)), DecryptionError);                     // body
  EXPECT_THROW(Open(FlipBit(ciphertext, ciphertext.size() - 1)), DecryptionError);  // tag
}

TEST_F(AesGcmCipherTest, EveryFlippedBitInWrappedKey_IsRejected) {
  std::string ciphertext = Seal("value");
  for (std::size_t i = 0; i < wrapped_key_.size(); ++i) {
    EXPECT_THROW(cipher_.Decrypt(FlipBit(wrapped_key_, i), ciphertext, context_), DecryptionError)
        << "byte " << i;
  }
}

TEST_F(AesGcmCipherTest, TruncatedCiphertext_IsRejected) {
  std::string ciphertext = Seal("value");
  for (std::size_t length = 0; length < ciphertext.size(); ++length) {
    EXPECT_THROW(Open(ciphertext.substr(0, length)), DecryptionError) << "length " << length;
  }
  EXPECT_THROW(Open(ciphertext.substr(1)), DecryptionError);
}

TEST_F(AesGcmCipherTest, ExtendedCiphertext_IsRejected) {
  EXPECT_THROW(Open(Seal("value") + "x"), DecryptionError);
}

TEST_F(AesGcmCipherTest, TruncatedOrEmptyWrappedKey_IsRejected) {
  std::string ciphertext = Seal("value");
  EXPECT_THROW(cipher_.Decrypt("", ciphertext, context_), DecryptionError);
  EXPECT_THROW(
      cipher_.Decrypt(wrapped_key_.substr(0, wrapped_key_.size() - 1), ciphertext, context_),
      DecryptionError);
  EXPECT_THROW(cipher_.Encrypt(wrapped_key_.substr(1), "value", context_), DecryptionError);
}

TEST_F(AesGcmCipherTest, WrappedKeyAndValue_AreNotInterchangeable) {
  // A 32-byte value sealed under a data key has the shape of a wrapped key;
  // the purpose label keeps it from being accepted as one.
  std::string fake_wrapped = Seal(std::string(32, 'k'));
  ASSERT_EQ(fake_wrapped.size(), AesGcmCipher::kWrappedKeySize);
  EXPECT_THROW(cipher_.Decrypt(fake_wrapped, Seal("value"), context_), DecryptionError);
}

// One thread reuses one cipher context for every call: nothing of a call,
// failed or not, and of another instance's key may carry into the next.
TEST_F(AesGcmCipherTest, CallsInAnyOrderOnOneThread_AreIndependent) {
  AesGcmCipher other{KeyFilledWith(0x22)};
  const std::string other_key = other.NewWrappedDataKey();
  const std::string ours = Seal("ours");
  const std::string theirs = other.Encrypt(other_key, "theirs", context_);
  for (int round = 0; round < 3; ++round) {
    EXPECT_THROW(Open(FlipBit(ours, ours.size() - 1)), DecryptionError);  // tag
    EXPECT_EQ(Open(ours), "ours");
    EXPECT_THROW(other.Decrypt(other_key, ours, context_), DecryptionError);
    EXPECT_EQ(other.Decrypt(other_key, theirs, context_), "theirs");
    EXPECT_THROW(cipher_.Decrypt(wrapped_key_, theirs, context_), DecryptionError);
    EXPECT_THROW(cipher_.Decrypt(wrapped_key_, ours, "other context"), DecryptionError);
    const std::string opened = cipher_.OpenDataKey(wrapped_key_);
    EXPECT_EQ(cipher_.DecryptWithKey(opened, ours, context_), "ours");
    EXPECT_EQ(Open(Seal("again " + std::to_string(round))), "again " + std::to_string(round));
  }
}

// Unwrapping reuses a context keyed with the master key per thread: a cipher
// of another key, even one made in the very storage of a destroyed one,
// never unwraps with the old key.
TEST(AesGcmCipherKeyedContext, AnotherKeyInTheSameStorage_DoesNotUnwrapWithTheOldKey) {
  std::optional<AesGcmCipher> cipher;
  cipher.emplace(KeyFilledWith(0x11));
  const std::string wrapped = cipher->NewWrappedDataKey();
  const std::string sealed = cipher->Encrypt(wrapped, "value", "context");
  EXPECT_EQ(cipher->Decrypt(wrapped, sealed, "context"), "value");
  cipher.emplace(KeyFilledWith(0x22));  // same address, other key
  EXPECT_THROW(cipher->Decrypt(wrapped, sealed, "context"), DecryptionError);
  EXPECT_THROW(cipher->OpenDataKey(wrapped), DecryptionError);
  cipher.emplace(KeyFilledWith(0x11));
  EXPECT_EQ(cipher->Decrypt(wrapped, sealed, "context"), "value");
}

TEST(AesGcmCipherFingerprint, StableForAKeyAndDifferentForAnother) {
  AesGcmCipher first(KeyFilledWith(0x11));
  AesGcmCipher again(KeyFilledWith(0x11));
  Aes256Key almost = KeyFilledWith(0x11);
  almost[31] ^= 1;
  AesGcmCipher other(almost);
  EXPECT_EQ(first.Fingerprint(), again.Fingerprint());
  EXPECT_NE(first.Fingerprint(), other.Fingerprint());
  EXPECT_EQ(first.Fingerprint().size(), 16u);
  const std::string fingerprint = first.Fingerprint();
  EXPECT_TRUE(std::all_of(fingerprint.begin(), fingerprint.end(),
                          [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); }));
}

TEST(AesGcmCipherFingerprint, DoesNotRevealTheKey) {
  AesGcmCipher cipher(KeyFilledWith(0x11));
  EXPECT_EQ(HexEncode(KeyFilledWith(0x11)).find(cipher.Fingerprint()), std::string::npos);
}

TEST(AesGcmCipherThreads, ConcurrentEncryptDecrypt_RoundTrips) {
  AesGcmCipher cipher(KeyFilledWith(0x33));
  std::string wrapped = cipher.NewWrappedDataKey();
  std::vector<int> failures(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        std::string value = "value " + std::to_string(t) + "/" + std::to_string(i);
        std::string context = "ctx " + std::to_string(t);
        if (cipher.Decrypt(wrapped, cipher.Encrypt(wrapped, value, context), context) != value) {
          ++failures[t];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

// OpenSSL's tables load on a thread the constructor starts: first calls
// from several threads all wait for it, and a cipher destroyed before any
// call waits for it too (the thread reads the key the destructor wipes).
TEST(AesGcmCipherThreads, FirstCallsFromManyThreads_AllWaitForTheTables) {
  AesGcmCipher cipher(KeyFilledWith(0x44));
  std::vector<std::string> wrapped(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] { wrapped[t] = cipher.NewWrappedDataKey(); });
  }
  for (auto& thread : threads) thread.join();
  for (const std::string& key : wrapped) {
    EXPECT_EQ(key.size(), AesGcmCipher::kWrappedKeySize);
    EXPECT_EQ(cipher.Decrypt(key, cipher.Encrypt(key, "v", "c"), "c"), "v");
  }
}

TEST(AesGcmCipherThreads, DestroyedBeforeAnyCall_IsSafe) {
  for (int i = 0; i < 20; ++i) AesGcmCipher cipher(KeyFilledWith(static_cast<std::uint8_t>(i)));
}

}  // namespace
}  // namespace sml::storage
