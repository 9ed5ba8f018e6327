#pragma once
// Encryption of secret values at rest (envelope encryption). Each secret has
// its own data key, stored only in wrapped (encrypted) form; the master key
// that wraps it never reaches the database. Implementations are thread-safe.
#include <stdexcept>
#include <string>
#include <string_view>

namespace sml::storage {

// A value or data key that cannot be decrypted (wrong master key, tampering).
class DecryptionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ValueCipher {
 public:
  virtual ~ValueCipher() = default;
  // A fresh random data key, wrapped by the master key.
  virtual std::string NewWrappedDataKey() = 0;
  // Encrypts `plaintext` under the data key; `context` is authenticated
  // (binds the ciphertext to its secret and version).
  virtual std::string Encrypt(std::string_view wrapped_key, std::string_view plaintext,
                              std::string_view context) = 0;
  // Throws DecryptionError when the key or ciphertext does not authenticate.
  virtual std::string Decrypt(std::string_view wrapped_key, std::string_view ciphertext,
                              std::string_view context) = 0;
};

}  // namespace sml::storage
