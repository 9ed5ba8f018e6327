#include "storage/crypto/crypto_library.h"

#include <openssl/crypto.h>

#include <stdexcept>

namespace sml::storage {

void InitCryptoLibrary() {
  // Nor its error texts (~0.9M instructions): the server never prints one.
  if (OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS,
                          nullptr) != 1) {
    throw std::runtime_error("OpenSSL failed to initialise");
  }
}

}  // namespace sml::storage
