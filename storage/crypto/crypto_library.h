#pragma once
// OpenSSL's process-wide set-up, done once by the server before any other
// OpenSSL call (main calls it first). Without it OpenSSL initialises itself
// on first use, reading the system's openssl.cnf.

namespace sml::storage {

// Initialises libcrypto without loading openssl.cnf or OpenSSL's error
// texts. The server's ciphers, digests and random generator come from
// OpenSSL's built-in default provider whatever the machine's OpenSSL
// configuration says (the Docker image has none), and a start skips parsing
// that file and the texts (~1.7M instructions, a sixth of the time to the
// first answer). Throws std::runtime_error if OpenSSL cannot initialise.
void InitCryptoLibrary();

}  // namespace sml::storage
