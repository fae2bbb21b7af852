// src/core/crypto.h
//
// Thin wrappers: SHA-256 (OpenSSL) for the journal's hash chain and token storage; argon2id
// for passwords, random tokens and constant-time comparison (libsodium).
#ifndef GREENLOOP_CORE_CRYPTO_H_
#define GREENLOOP_CORE_CRYPTO_H_

#include <optional>
#include <string>
#include <string_view>

namespace greenloop {

// Must be called once before any other function here; safe to call again.
void InitCrypto();

// Lowercase hex of SHA-256(data): 64 characters.
std::string Sha256Hex(std::string_view data);

// A URL-safe random token with 256 bits of entropy.
std::string RandomToken();

// argon2id in PHC string form. Returns nullopt only when the system is out of memory.
std::optional<std::string> HashPassword(std::string_view password);
bool VerifyPassword(const std::string& password_hash, std::string_view password);

bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace greenloop

#endif  // GREENLOOP_CORE_CRYPTO_H_
