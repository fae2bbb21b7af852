// Goal: the hash chain's SHA-256 is the standard one. Method: the FIPS 180-2 test vectors.
#include "core/crypto.h"

#include <gtest/gtest.h>

namespace greenloop {
namespace {

TEST(Crypto, Sha256MatchesFips180Vectors) {
  InitCrypto();
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Crypto, PasswordsVerifyOnlyWithTheRightPassword) {
  InitCrypto();
  auto hash = HashPassword("correct horse");
  ASSERT_TRUE(hash.has_value());
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse "));
}

}  // namespace
}  // namespace greenloop
