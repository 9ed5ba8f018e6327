#pragma once
// AES-256-GCM envelope encryption (OpenSSL EVP).
//
// A master key (32 bytes, never stored in the database) wraps one random data
// key per secret; the data key encrypts that secret's values. Every blob this
// class returns — wrapped data keys and encrypted values — is binary
// (contains NUL bytes; store it as a BLOB) and self-describing:
//
//   byte 0         format version (1)
//   bytes 1..12    random 96-bit nonce
//   then           ciphertext, as long as the plaintext
//   last 16 bytes  GCM tag
//
// So a wrapped data key is always 61 bytes and an encrypted value is the
// plaintext plus 29 bytes. The version byte and a fixed purpose label are
// authenticated along with the caller's `context`, so a wrapped key cannot be
// passed off as a value or a value moved to another secret or version.
//
// Decrypt either returns the exact plaintext or throws DecryptionError (wrong
// master key, wrong context, any flipped or missing byte); it never returns
// unauthenticated bytes. Encrypt throws std::runtime_error only if OpenSSL
// itself fails (or std::length_error for a value over 2 GiB).
//
// Thread-safety: all methods may be called concurrently. After construction
// the object is immutable; each thread reuses its own EVP_CIPHER_CTX.
// Start-up: OpenSSL builds its algorithm tables on first use (~7M
// instructions, most of a server start), so the constructor returns at once
// and they load on a thread of its own; the first call waits for them, and
// rethrows if OpenSSL failed. The destructor waits for that thread.
// Performance: Decrypt is one unwrap plus one decrypt, with one allocation
// for the result; unwrapped data keys live on the stack and are wiped before
// returning. DecryptWithKey (a key opened once by OpenDataKey) skips the unwrap.
#include <openssl/types.h>

#include <cstdint>
#include <future>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "storage/crypto/key_text.h"
#include "storage/value_cipher.h"

namespace sml::storage {

class AesGcmCipher final : public ValueCipher {
 public:
  // Bytes a sealed blob adds to its plaintext: version + nonce + tag.
  static constexpr std::size_t kOverhead = 1 + 12 + 16;
  static constexpr std::size_t kWrappedKeySize = kOverhead + kAes256KeySize;

  // Copies the key; the copy is wiped on destruction.
  explicit AesGcmCipher(std::span<const std::uint8_t, kAes256KeySize> master_key);
  ~AesGcmCipher() override;
  AesGcmCipher(const AesGcmCipher&) = delete;
  AesGcmCipher& operator=(const AesGcmCipher&) = delete;

  std::string NewWrappedDataKey() override;
  std::string Encrypt(std::string_view wrapped_key, std::string_view plaintext,
                      std::string_view context) override;
  std::string Decrypt(std::string_view wrapped_key, std::string_view ciphertext,
                      std::string_view context) override;
  // The raw 32-byte data key (the caller wipes it when done).
  std::string OpenDataKey(std::string_view wrapped_key) override;
  std::string DecryptWithKey(std::string_view opened_key, std::string_view ciphertext,
                             std::string_view context) override;

  // 16 hex characters identifying the master key (a truncated SHA-256 of a
  // fixed label and the key): safe to log, useless for recovering the key.
  std::string Fingerprint() const { return loaded_.get().fingerprint; }

 private:
  struct CipherFree {
    void operator()(EVP_CIPHER* cipher) const;
  };
  struct Loaded {
    // Fetched once: EVP_aes_256_gcm() would look the implementation up in
    // the provider on every init. A fetched EVP_CIPHER is safe to share read-only.
    std::unique_ptr<EVP_CIPHER, CipherFree> cipher;
    std::string fingerprint;
  };
  Loaded Load() const;
  const EVP_CIPHER* Cipher() const { return loaded_.get().cipher.get(); }
  // This thread's context keyed with the master key, to unwrap data keys.
  EVP_CIPHER_CTX* MasterContext() const;

  Aes256Key master_key_;
  const std::uint64_t instance_;       // unique per object, unlike its address
  std::shared_future<Loaded> loaded_;  // set once; get() is safe from any thread
};

}  // namespace sml::storage
