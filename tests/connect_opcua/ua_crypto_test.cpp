#include "connect/opcua/ua_crypto.h"

#include <gtest/gtest.h>

#include <string>

#include "connect/opcua/ua_security_token.h"
#include "testing/status_matchers.h"

namespace fh::opcua {
namespace crypto_test {

CryptoBytes Hex(std::string_view hex) {
  auto bytes = FromHex(hex);
  EXPECT_TRUE(bytes.ok()) << hex;
  return bytes.ok() ? *bytes : CryptoBytes{};
}

ByteView Text(std::string_view s) {
  return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

// One 2048-bit key for the whole binary: generating keys is slow.
const RsaKey& Key2048() {
  static const RsaKey key = [] {
    auto k = RsaKey::Generate(2048);
    EXPECT_TRUE(k.ok()) << k.status().ToString();
    return k.ok() ? *k : RsaKey();
  }();
  return key;
}

const RsaKey& OtherKey2048() {
  static const RsaKey key = [] {
    auto k = RsaKey::Generate(2048);
    EXPECT_TRUE(k.ok()) << k.status().ToString();
    return k.ok() ? *k : RsaKey();
  }();
  return key;
}

// P_SHA256 is the TLS 1.2 PRF without its label: the PRF's published SHA-256 vector (IETF
// TLS WG list, "test label" put in front of the seed) checks it.
TEST(UaCryptoTest, PSha256MatchesTheTls12PrfVector) {
  const CryptoBytes secret = Hex("9bbe436ba940f017b17652849a71db35");
  CryptoBytes seed(Text("test label").begin(), Text("test label").end());
  const CryptoBytes seed_tail = Hex("a0ba9f936cda311827a6f796ffd5198c");
  seed.insert(seed.end(), seed_tail.begin(), seed_tail.end());
  ASSERT_OK_AND_ASSIGN(const SecretBytes out, PSha256(secret, seed, 100));
  EXPECT_EQ(ToHex(out.view()),
            "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a"
            "6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab"
            "4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701"
            "87347b66");
  // Shorter outputs are prefixes of longer ones.
  ASSERT_OK_AND_ASSIGN(const SecretBytes short_out, PSha256(secret, seed, 33));
  EXPECT_EQ(ToHex(short_out.view()), ToHex(out.view()).substr(0, 66));
}

TEST(UaCryptoTest, HmacSha256MatchesRfc4231) {
  // RFC 4231 test case 2.
  ASSERT_OK_AND_ASSIGN(const auto mac,
                       HmacSha256(Text("Jefe"), {Text("what do ya "), Text("want for nothing?")}));
  EXPECT_EQ(ToHex(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_FALSE(HmacSha256({}, {Text("x")}).ok());
}

// NIST SP 800-38A, F.2.1 (CBC-AES128.Encrypt) and F.2.5 (CBC-AES256.Encrypt).
constexpr std::string_view kSp80038aPlaintext =
    "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
    "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
constexpr std::string_view kSp80038aIv = "000102030405060708090a0b0c0d0e0f";

TEST(UaCryptoTest, AesCbcMatchesNistSp80038a) {
  struct Case {
    std::string_view key, ciphertext;
  };
  const Case cases[] = {
      {"2b7e151628aed2a6abf7158809cf4f3c",
       "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
       "73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7"},
      {"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
       "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
       "39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b"},
  };
  for (const Case& c : cases) {
    CryptoBytes data = Hex(kSp80038aPlaintext);
    ASSERT_OK(AesCbcEncrypt(Hex(c.key), Hex(kSp80038aIv), data));
    EXPECT_EQ(ToHex(data), c.ciphertext) << "key " << c.key;
    ASSERT_OK(AesCbcDecrypt(Hex(c.key), Hex(kSp80038aIv), data));
    EXPECT_EQ(ToHex(data), kSp80038aPlaintext);
  }
}

TEST(UaCryptoTest, AesCbcRefusesPartialBlocksAndBadKeys) {
  CryptoBytes data(17);
  EXPECT_EQ(AesCbcEncrypt(CryptoBytes(32), CryptoBytes(16), data).code(),
            fh::StatusCode::kInvalidArgument);
  data.resize(16);
  EXPECT_FALSE(AesCbcEncrypt(CryptoBytes(24), CryptoBytes(16), data).ok());
  EXPECT_FALSE(AesCbcEncrypt(CryptoBytes(16), CryptoBytes(8), data).ok());
  EXPECT_OK(AesCbcEncrypt(CryptoBytes(16), CryptoBytes(16), std::span<uint8_t>()));
}

TEST(UaCryptoTest, HashesAndHex) {
  ASSERT_OK_AND_ASSIGN(const auto sha1, Sha1(Text("abc")));
  EXPECT_EQ(ToHex(sha1), "a9993e364706816aba3e25717850c26c9cd0d89d");  // FIPS 180-2
  ASSERT_OK_AND_ASSIGN(const auto sha256, Sha256(Text("abc")));
  EXPECT_EQ(ToHex(sha256), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(ToHex(Hex("00FFa0")), "00ffa0");
  EXPECT_FALSE(FromHex("abc").ok());
  EXPECT_FALSE(FromHex("zz").ok());
}

TEST(UaCryptoTest, ConstantTimeEqualAndSecretBytes) {
  EXPECT_TRUE(ConstantTimeEqual(Text("abc"), Text("abc")));
  EXPECT_FALSE(ConstantTimeEqual(Text("abc"), Text("abd")));
  EXPECT_FALSE(ConstantTimeEqual(Text("abc"), Text("ab")));
  EXPECT_TRUE(ConstantTimeEqual({}, {}));

  SecretBytes s(Text("0123456789"));
  EXPECT_EQ(s.Slice(2, 3).size(), 3u);
  EXPECT_EQ(s.Slice(8, 5).size(), 2u);
  EXPECT_TRUE(s.Slice(11, 1).empty());
  s.Truncate(4);
  EXPECT_EQ(std::string(s.view().begin(), s.view().end()), "0123");
  SecretBytes moved = std::move(s);
  EXPECT_EQ(moved.size(), 4u);
  SecretBytes copy;
  copy = moved;
  EXPECT_TRUE(ConstantTimeEqual(copy.view(), moved.view()));
}

TEST(UaCryptoTest, RandomBytesDiffer) {
  ASSERT_OK_AND_ASSIGN(const CryptoBytes a, RandomBytes(32));
  ASSERT_OK_AND_ASSIGN(const CryptoBytes b, RandomBytes(32));
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
}

TEST(UaCryptoTest, RsaSignatureRoundTripAndTampering) {
  const RsaKey& key = Key2048();
  ASSERT_TRUE(key.valid());
  EXPECT_EQ(key.bits(), 2048);
  EXPECT_EQ(key.size_bytes(), 256u);
  ASSERT_OK_AND_ASSIGN(const RsaKey pub, key.PublicOnly());
  EXPECT_FALSE(pub.has_private());
  EXPECT_TRUE(pub.SamePublicKey(key));
  EXPECT_FALSE(pub.SamePublicKey(OtherKey2048()));

  const ByteView data = Text("OpenSecureChannel request, 2026");
  ASSERT_OK_AND_ASSIGN(CryptoBytes signature, RsaPkcs1Sha256Sign(key, data));
  EXPECT_EQ(signature.size(), 256u);
  EXPECT_OK(RsaPkcs1Sha256Verify(pub, data, signature));
  EXPECT_EQ(RsaPkcs1Sha256Verify(pub, Text("OpenSecureChannel request, 2027"), signature).code(),
            fh::StatusCode::kUnauthenticated);
  EXPECT_FALSE(RsaPkcs1Sha256Verify(OtherKey2048(), data, signature).ok());
  signature[100] ^= 0x01;
  EXPECT_EQ(RsaPkcs1Sha256Verify(pub, data, signature).code(), fh::StatusCode::kUnauthenticated);
  EXPECT_FALSE(RsaPkcs1Sha256Sign(pub, data).ok());  // no private key
}

TEST(UaCryptoTest, RsaOaepRoundTripBlockByBlock) {
  const RsaKey& key = Key2048();
  ASSERT_OK_AND_ASSIGN(const RsaKey pub, key.PublicOnly());
  EXPECT_EQ(RsaOaepSha1PlainTextBlockSize(pub), 214u);
  for (size_t size : {size_t{1}, size_t{214}, size_t{215}, size_t{500}}) {
    CryptoBytes plain(size);
    for (size_t i = 0; i < size; ++i)
      plain[i] = static_cast<uint8_t>(i * 7);
    ASSERT_OK_AND_ASSIGN(const CryptoBytes cipher, RsaOaepSha1Encrypt(pub, plain));
    EXPECT_EQ(cipher.size(), (size + 213) / 214 * 256) << size;
    ASSERT_OK_AND_ASSIGN(const SecretBytes back, RsaOaepSha1Decrypt(key, cipher));
    EXPECT_TRUE(ConstantTimeEqual(back.view(), plain)) << size;

    CryptoBytes tampered = cipher;
    tampered[tampered.size() / 2] ^= 0x80;
    EXPECT_EQ(RsaOaepSha1Decrypt(key, tampered).status().code(), fh::StatusCode::kUnauthenticated);
    EXPECT_FALSE(RsaOaepSha1Decrypt(OtherKey2048(), cipher).ok());
  }
  EXPECT_FALSE(RsaOaepSha1Decrypt(key, CryptoBytes(255)).ok());  // not whole blocks
}

TEST(UaCryptoTest, PrivateKeyPemRoundTrip) {
  ASSERT_OK_AND_ASSIGN(const SecretBytes pem, Key2048().PrivatePem());
  const std::string text(pem.view().begin(), pem.view().end());
  EXPECT_EQ(text.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  ASSERT_OK_AND_ASSIGN(const RsaKey back, RsaKey::FromPrivatePem(pem.view()));
  EXPECT_TRUE(back.has_private());
  EXPECT_TRUE(back.SamePublicKey(Key2048()));
  EXPECT_FALSE(RsaKey::FromPrivatePem(Text("-----BEGIN PRIVATE KEY-----\nnope\n")).ok());
  ASSERT_OK_AND_ASSIGN(const RsaKey pub, Key2048().PublicOnly());
  EXPECT_FALSE(pub.PrivatePem().ok());
}

// --- ActivateSession's token cryptography ---------------------------------------------------

TEST(UaCryptoTest, UserPasswordTokenDecryptsBackWithThePrivateKey) {
  ASSERT_OK_AND_ASSIGN(const RsaKey server_pub, OtherKey2048().PublicOnly());
  ASSERT_OK_AND_ASSIGN(const CryptoBytes nonce, RandomBytes(32));
  ASSERT_OK_AND_ASSIGN(const EncryptedSecret token,
                       EncryptUserPassword(server_pub, "s3cret pässword", nonce));
  EXPECT_EQ(token.algorithm, "http://www.w3.org/2001/04/xmlenc#rsa-oaep");
  EXPECT_EQ(token.data.size(), 256u);

  // The legacy layout: UInt32 LE length of password + nonce, password, nonce.
  ASSERT_OK_AND_ASSIGN(const SecretBytes raw, RsaOaepSha1Decrypt(OtherKey2048(), token.data));
  const size_t pw_size = std::string("s3cret pässword").size();
  ASSERT_EQ(raw.size(), 4 + pw_size + 32);
  EXPECT_EQ(raw[0], pw_size + 32);
  EXPECT_EQ(raw[1], 0);
  EXPECT_EQ(raw[2], 0);
  EXPECT_EQ(raw[3], 0);
  EXPECT_TRUE(ConstantTimeEqual(raw.view().subspan(4 + pw_size), nonce));

  ASSERT_OK_AND_ASSIGN(const SecretBytes password,
                       DecryptUserPassword(OtherKey2048(), token.data, nonce));
  EXPECT_EQ(std::string(password.view().begin(), password.view().end()), "s3cret pässword");

  CryptoBytes other_nonce = nonce;
  other_nonce[0] ^= 1;
  EXPECT_EQ(DecryptUserPassword(OtherKey2048(), token.data, other_nonce).status().code(),
            fh::StatusCode::kUnauthenticated);
  EXPECT_FALSE(DecryptUserPassword(Key2048(), token.data, nonce).ok());

  // A long password takes more than one block.
  const std::string long_password(300, 'x');
  ASSERT_OK_AND_ASSIGN(const EncryptedSecret long_token,
                       EncryptUserPassword(server_pub, long_password, nonce));
  EXPECT_EQ(long_token.data.size(), 512u);
  ASSERT_OK_AND_ASSIGN(const SecretBytes long_back,
                       DecryptUserPassword(OtherKey2048(), long_token.data, nonce));
  EXPECT_EQ(std::string(long_back.view().begin(), long_back.view().end()), long_password);
}

TEST(UaCryptoTest, ClientSignatureSignsCertificateAndNonce) {
  const CryptoBytes server_cert = Hex("308201020304");  // any bytes: only signed here
  ASSERT_OK_AND_ASSIGN(const CryptoBytes nonce, RandomBytes(32));
  ASSERT_OK_AND_ASSIGN(const TokenSignature sig,
                       MakeClientSignature(Key2048(), server_cert, nonce));
  EXPECT_EQ(sig.algorithm, "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
  ASSERT_OK_AND_ASSIGN(const RsaKey pub, Key2048().PublicOnly());
  EXPECT_OK(VerifyTokenSignature(pub, server_cert, nonce, sig));
  CryptoBytes concatenated = server_cert;
  concatenated.insert(concatenated.end(), nonce.begin(), nonce.end());
  EXPECT_OK(RsaPkcs1Sha256Verify(pub, concatenated, sig.signature));

  CryptoBytes other_nonce = nonce;
  other_nonce[31] ^= 1;
  EXPECT_FALSE(VerifyTokenSignature(pub, server_cert, other_nonce, sig).ok());
  TokenSignature wrong_algorithm = sig;
  wrong_algorithm.algorithm = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
  EXPECT_FALSE(VerifyTokenSignature(pub, server_cert, nonce, wrong_algorithm).ok());
}

}  // namespace crypto_test
}  // namespace fh::opcua
