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

  // A data key opened once, for the read cache: DecryptWithKey(opened, ...)
  // then equals Decrypt(wrapped, ...) without unwrapping again. Throws
  // DecryptionError when the wrapped key does not authenticate. By default
  // the "opened" key is the wrapped one and each call unwraps it.
  virtual std::string OpenDataKey(std::string_view wrapped_key) { return std::string(wrapped_key); }
  virtual std::string DecryptWithKey(std::string_view opened_key, std::string_view ciphertext,
                                     std::string_view context) {
    return Decrypt(opened_key, ciphertext, context);
  }
};

}  // namespace sml::storage
