#include "storage/crypto/aes_gcm_cipher.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <stdexcept>

namespace sml::storage {
namespace {

constexpr std::uint8_t kFormatVersion = 1;
constexpr std::size_t kNonceSize = 12;
constexpr std::size_t kTagSize = 16;
constexpr std::size_t kHeaderSize = 1 + kNonceSize;
constexpr std::size_t kOverhead = AesGcmCipher::kOverhead;
static_assert(kOverhead == kHeaderSize + kTagSize);

// Purpose labels, authenticated with every blob: a wrapped data key and a
// value are never interchangeable even if someone swaps the columns.
constexpr std::string_view kDataKeyPurpose = "sml/data-key";
constexpr std::string_view kValuePurpose = "sml/value";
constexpr std::string_view kFingerprintLabel = "sml/master-key-fingerprint/v1";
constexpr std::size_t kFingerprintHexChars = 16;

struct ContextFree {
  void operator()(EVP_CIPHER_CTX* context) const { EVP_CIPHER_CTX_free(context); }
};
using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, ContextFree>;

// This thread's context, made on first use and reused: every Init
// re-keys it, so nothing of one call carries into the next.
EVP_CIPHER_CTX* ThreadContext() {
  thread_local CipherContext context(EVP_CIPHER_CTX_new());
  if (!context) throw std::runtime_error("EVP_CIPHER_CTX_new failed");
  return context.get();
}

// What to pass as the cipher to an Init of `ctx`: null when the context is
// already set up for it, so that OpenSSL re-keys the cipher state it has
// instead of freeing it and making a new one (a third of a decryption).
const EVP_CIPHER* CipherToInit(EVP_CIPHER_CTX* ctx, const EVP_CIPHER* cipher) {
  return EVP_CIPHER_CTX_get0_cipher(ctx) == cipher ? nullptr : cipher;
}

// An unwrapped data key on the stack, wiped however the scope is left.
struct ScopedKey {
  Aes256Key bytes{};
  ScopedKey() = default;
  ScopedKey(const ScopedKey&) = delete;
  ScopedKey& operator=(const ScopedKey&) = delete;
  ~ScopedKey() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
};

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

// Feeds the additional authenticated data: version, purpose, caller context.
bool AddAad(EVP_CIPHER_CTX* ctx, bool encrypt, std::string_view purpose, std::string_view context) {
  auto update = encrypt ? EVP_EncryptUpdate : EVP_DecryptUpdate;
  int ignored = 0;
  const unsigned char version = kFormatVersion;
  if (update(ctx, nullptr, &ignored, &version, 1) != 1) return false;
  if (update(ctx, nullptr, &ignored, Bytes(purpose), static_cast<int>(purpose.size())) != 1) {
    return false;
  }
  // Zero-length updates are legal, but skipping them keeps empty contexts
  // away from a null data() pointer.
  if (!context.empty() &&
      update(ctx, nullptr, &ignored, Bytes(context), static_cast<int>(context.size())) != 1) {
    return false;
  }
  return true;
}

// Writes version | nonce | ciphertext | tag of `plaintext` into `out`, which
// must be exactly plaintext.size() + kOverhead bytes.
void Seal(EVP_CIPHER_CTX* ctx, const EVP_CIPHER* cipher, const std::uint8_t* key,
          std::string_view purpose, std::string_view context,
          std::span<const std::uint8_t> plaintext, std::span<std::uint8_t> out) {
  if (plaintext.size() > INT_MAX - kOverhead || context.size() > INT_MAX) {
    throw std::length_error("value too large to encrypt");
  }
  out[0] = kFormatVersion;
  std::uint8_t* nonce = out.data() + 1;
  std::uint8_t* body = out.data() + kHeaderSize;
  std::uint8_t* tag = body + plaintext.size();
  int length = 0;
  bool ok = RAND_bytes(nonce, kNonceSize) == 1 &&
            EVP_EncryptInit_ex2(ctx, CipherToInit(ctx, cipher), key, nonce, nullptr) == 1 &&
            AddAad(ctx, true, purpose, context) &&
            (plaintext.empty() || EVP_EncryptUpdate(ctx, body, &length, plaintext.data(),
                                                    static_cast<int>(plaintext.size())) == 1) &&
            EVP_EncryptFinal_ex(ctx, body + length, &length) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kTagSize, tag) == 1;
  if (!ok) {
    ERR_clear_error();
    throw std::runtime_error("AES-256-GCM encryption failed in OpenSSL");
  }
}

// Verifies `sealed` and writes its plaintext into `out` (exactly
// sealed.size() - kOverhead bytes). Returns false, with `out` wiped, if the
// blob is malformed or does not authenticate. A null `key`: `ctx` is keyed.
bool Open(EVP_CIPHER_CTX* ctx, const EVP_CIPHER* cipher, const std::uint8_t* key,
          std::string_view purpose, std::string_view context, std::string_view sealed,
          std::span<std::uint8_t> out) {
  if (sealed.size() < kOverhead || sealed.size() - kOverhead != out.size() ||
      sealed.size() > INT_MAX || context.size() > INT_MAX ||
      static_cast<std::uint8_t>(sealed[0]) != kFormatVersion) {
    return false;
  }
  const unsigned char* nonce = Bytes(sealed) + 1;
  const unsigned char* body = Bytes(sealed) + kHeaderSize;
  // EVP's ctrl takes a non-const pointer but only reads the tag when setting it.
  auto* tag = const_cast<unsigned char*>(body + out.size());
  int length = 0;
  bool ok = EVP_DecryptInit_ex2(ctx, CipherToInit(ctx, cipher), key, nonce, nullptr) == 1 &&
            AddAad(ctx, false, purpose, context) &&
            (out.empty() || EVP_DecryptUpdate(ctx, out.data(), &length, body,
                                              static_cast<int>(out.size())) == 1) &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kTagSize, tag) == 1 &&
            EVP_DecryptFinal_ex(ctx, out.data() + length, &length) == 1;
  if (!ok) {
    // GCM decrypts before it verifies: never leave unauthenticated bytes.
    if (!out.empty()) OPENSSL_cleanse(out.data(), out.size());
    ERR_clear_error();
  }
  return ok;
}

std::span<std::uint8_t> Writable(std::string& text) {
  return {reinterpret_cast<std::uint8_t*>(text.data()), text.size()};
}

std::span<const std::uint8_t> Readable(std::string_view text) { return {Bytes(text), text.size()}; }

}  // namespace

void AesGcmCipher::CipherFree::operator()(EVP_CIPHER* cipher) const { EVP_CIPHER_free(cipher); }

namespace {
std::atomic<std::uint64_t> last_instance = 0;
}  // namespace

AesGcmCipher::AesGcmCipher(std::span<const std::uint8_t, kAes256KeySize> master_key)
    : instance_(++last_instance) {
  std::copy(master_key.begin(), master_key.end(), master_key_.begin());
  loaded_ = std::async(std::launch::async, [this] { return Load(); }).share();
}

AesGcmCipher::Loaded AesGcmCipher::Load() const {
  Loaded loaded;
  loaded.cipher.reset(EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr));
  if (!loaded.cipher) {
    ERR_clear_error();
    throw std::runtime_error("OpenSSL does not provide AES-256-GCM");
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> digest_ctx(EVP_MD_CTX_new(),
                                                                     &EVP_MD_CTX_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  bool ok =
      digest_ctx && EVP_DigestInit_ex(digest_ctx.get(), EVP_sha256(), nullptr) == 1 &&
      EVP_DigestUpdate(digest_ctx.get(), kFingerprintLabel.data(), kFingerprintLabel.size()) == 1 &&
      EVP_DigestUpdate(digest_ctx.get(), master_key_.data(), master_key_.size()) == 1 &&
      EVP_DigestFinal_ex(digest_ctx.get(), digest, &digest_size) == 1;
  if (!ok) {
    ERR_clear_error();
    throw std::runtime_error("SHA-256 failed in OpenSSL");
  }
  loaded.fingerprint = HexEncode({digest, digest_size}).substr(0, kFingerprintHexChars);
  // The random generators' first use builds them too (nonces, data keys).
  unsigned char ignored = 0;
  if (RAND_bytes(&ignored, 1) != 1 || RAND_priv_bytes(&ignored, 1) != 1) {
    ERR_clear_error();
    throw std::runtime_error("OpenSSL's random generator failed");
  }
  return loaded;
}

AesGcmCipher::~AesGcmCipher() {
  loaded_.wait();  // the loading thread reads the key
  OPENSSL_cleanse(master_key_.data(), master_key_.size());
}

// Every read that misses the cache unwraps a data key with the master key:
// a context keyed once per thread then only takes each nonce, sparing AES's
// key schedule and GCM's table on every unwrap. Keyed by instance id, not
// address, so that a cipher made where another was never uses its key.
EVP_CIPHER_CTX* AesGcmCipher::MasterContext() const {
  struct Keyed {
    CipherContext context{EVP_CIPHER_CTX_new()};
    std::uint64_t instance = 0;
  };
  thread_local Keyed keyed;
  if (!keyed.context) throw std::runtime_error("EVP_CIPHER_CTX_new failed");
  if (keyed.instance != instance_) {
    keyed.instance = 0;
    if (EVP_DecryptInit_ex2(keyed.context.get(), Cipher(), master_key_.data(), nullptr, nullptr) !=
        1) {
      ERR_clear_error();
      throw std::runtime_error("AES-256-GCM key setup failed in OpenSSL");
    }
    keyed.instance = instance_;
  }
  return keyed.context.get();
}

std::string AesGcmCipher::NewWrappedDataKey() {
  ScopedKey data_key;
  // RAND_priv_bytes: OpenSSL's separate generator for long-term secrets.
  if (RAND_priv_bytes(data_key.bytes.data(), data_key.bytes.size()) != 1) {
    ERR_clear_error();
    throw std::runtime_error("RAND_priv_bytes failed");
  }
  std::string wrapped(kWrappedKeySize, '\0');
  Seal(ThreadContext(), Cipher(), master_key_.data(), kDataKeyPurpose, {}, data_key.bytes,
       Writable(wrapped));
  return wrapped;
}

std::string AesGcmCipher::Encrypt(std::string_view wrapped_key, std::string_view plaintext,
                                  std::string_view context) {
  EVP_CIPHER_CTX* ctx = ThreadContext();
  ScopedKey data_key;
  if (!Open(MasterContext(), Cipher(), nullptr, kDataKeyPurpose, {}, wrapped_key, data_key.bytes)) {
    throw DecryptionError("data key does not authenticate: wrong master key or corrupted key");
  }
  std::string sealed(plaintext.size() + kOverhead, '\0');
  Seal(ctx, Cipher(), data_key.bytes.data(), kValuePurpose, context, Readable(plaintext),
       Writable(sealed));
  return sealed;
}

std::string AesGcmCipher::Decrypt(std::string_view wrapped_key, std::string_view ciphertext,
                                  std::string_view context) {
  if (ciphertext.size() < kOverhead) {
    throw DecryptionError("encrypted value is truncated");
  }
  EVP_CIPHER_CTX* ctx = ThreadContext();
  ScopedKey data_key;
  if (!Open(MasterContext(), Cipher(), nullptr, kDataKeyPurpose, {}, wrapped_key, data_key.bytes)) {
    throw DecryptionError("data key does not authenticate: wrong master key or corrupted key");
  }
  std::string plaintext(ciphertext.size() - kOverhead, '\0');
  if (!Open(ctx, Cipher(), data_key.bytes.data(), kValuePurpose, context, ciphertext,
            Writable(plaintext))) {
    throw DecryptionError("value does not authenticate: corrupted data or wrong context");
  }
  return plaintext;
}

std::string AesGcmCipher::OpenDataKey(std::string_view wrapped_key) {
  std::string key(kAes256KeySize, '\0');
  if (!Open(MasterContext(), Cipher(), nullptr, kDataKeyPurpose, {}, wrapped_key, Writable(key))) {
    throw DecryptionError("data key does not authenticate: wrong master key or corrupted key");
  }
  return key;
}

std::string AesGcmCipher::DecryptWithKey(std::string_view opened_key, std::string_view ciphertext,
                                         std::string_view context) {
  if (ciphertext.size() < kOverhead) throw DecryptionError("encrypted value is truncated");
  if (opened_key.size() != kAes256KeySize) throw DecryptionError("not an opened data key");
  std::string plaintext(ciphertext.size() - kOverhead, '\0');
  if (!Open(ThreadContext(), Cipher(), reinterpret_cast<const std::uint8_t*>(opened_key.data()),
            kValuePurpose, context, ciphertext, Writable(plaintext))) {
    throw DecryptionError("value does not authenticate: corrupted data or wrong context");
  }
  return plaintext;
}

}  // namespace sml::storage
