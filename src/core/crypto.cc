#include "core/crypto.h"

#include <openssl/evp.h>
#include <sodium.h>

#include <memory>

#include "core/assert.h"

namespace greenloop {

void InitCrypto() { GL_ASSERT(sodium_init() >= 0); }

std::string Sha256Hex(std::string_view data) {
  // OpenSSL's SHA-256 uses the CPU's SHA extensions where present, several times faster than
  // libsodium's portable code; every journal entry is hashed once on write and once on verify.
  // The algorithm is fetched once and each thread keeps its context: OpenSSL 3's one-shot
  // SHA256() looks the algorithm up in the provider tables on every call, which costs more than
  // hashing a journal entry.
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  GL_ASSERT(sha256 != nullptr);
  thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  GL_ASSERT(context != nullptr);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const bool hashed = EVP_DigestInit_ex2(context.get(), sha256, nullptr) == 1 &&
                      EVP_DigestUpdate(context.get(), data.data(), data.size()) == 1 &&
                      EVP_DigestFinal_ex(context.get(), digest, &length) == 1;
  GL_ASSERT(hashed);
  GL_ASSERT(length == crypto_hash_sha256_BYTES);
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, length);
  return std::string(hex, crypto_hash_sha256_BYTES * 2);
}

std::string RandomToken() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string(out);
}

std::optional<std::string> HashPassword(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  // Interactive limits: a login costs about a tenth of a second, which is what a login page can
  // afford while still making offline guessing expensive.
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return std::nullopt;
  }
  return std::string(out);
}

bool VerifyPassword(const std::string& password_hash, std::string_view password) {
  return crypto_pwhash_str_verify(password_hash.c_str(), password.data(), password.size()) == 0;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace greenloop
