// FieldCipher: XChaCha20-Poly1305 with a synthetic nonce. Equal values of one field encrypt
// equally under one key (equality lookups, idempotent imports), differently in another field
// or under another key; a value changed or moved to another field does not decrypt; data
// keys open only with the master key that wrapped them, and only under their own id.
#include "security/field_cipher.h"

#include <gmock/gmock.h>

#include "testing/status_matchers.h"

namespace fh::security {
namespace {

using ::testing::HasSubstr;

FieldCipher TwoKeys(int64_t active) {
  return FieldCipher({{1, RandomKey()}, {2, RandomKey()}}, active);
}

TEST(FieldCipherTest, EqualValuesOfAFieldEncryptEquallyUnderOneKey) {
  const FieldCipher c = TwoKeys(2);
  const std::string a = c.Encrypt("customer.name", "Bosch Automotive Suzhou");
  EXPECT_TRUE(a.starts_with("fhenc1:2:"));
  EXPECT_EQ(a, c.Encrypt("customer.name", "Bosch Automotive Suzhou"));
  EXPECT_NE(a, c.Encrypt("customer.name", "Bosch Automotive Suzhou."));
  EXPECT_NE(a, c.Encrypt("personnel.name", "Bosch Automotive Suzhou"));
  EXPECT_EQ(a.find("Bosch"), std::string::npos);
  EXPECT_EQ(c.Decrypt("customer.name", a).value(), "Bosch Automotive Suzhou");
  EXPECT_EQ(FieldCipher::KeyIdOf(a), 2);
  EXPECT_EQ(FieldCipher::KeyIdOf("Bosch"), std::nullopt);
  // Every form a lookup compares with: in clear, and under each key.
  const std::vector<std::string> forms = c.EqualForms("customer.name", "Bosch Automotive Suzhou");
  ASSERT_EQ(forms.size(), 3u);
  EXPECT_EQ(forms[0], "Bosch Automotive Suzhou");
  EXPECT_THAT(forms, ::testing::Contains(a));
  EXPECT_EQ(c.Decrypt("customer.name", "stored in clear").value(), "stored in clear");
}

TEST(FieldCipherTest, AChangedOrMovedValueDoesNotDecrypt) {
  const FieldCipher c = TwoKeys(1);
  const std::string a = c.Encrypt("customer.name", "Li Wei");
  EXPECT_EQ(c.Decrypt("customer.country", a).status().code(), StatusCode::kCorruption);
  std::string changed = a;
  changed[changed.size() - 3] = changed[changed.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_THAT(c.Decrypt("customer.name", changed).status().message(),
              HasSubstr("does not decrypt"));
  const FieldCipher other({{1, RandomKey()}}, 1);  // another hub's key of the same id
  EXPECT_FALSE(other.Decrypt("customer.name", a).ok());
  const FieldCipher without({{2, RandomKey()}}, 2);
  EXPECT_THAT(without.Decrypt("customer.name", a).status().message(), HasSubstr("which is gone"));
}

TEST(FieldCipherTest, DataKeysOpenOnlyWithTheirMasterKeyAndId) {
  const SecretKey master = RandomKey(), key = RandomKey();
  const std::string wrapped = WrapKey(master, 7, key);
  EXPECT_EQ(wrapped.size(), 72u);
  EXPECT_EQ(UnwrapKey(master, 7, wrapped).value(), key);
  EXPECT_FALSE(UnwrapKey(RandomKey(), 7, wrapped).ok());
  EXPECT_FALSE(UnwrapKey(master, 8, wrapped).ok());  // swapped rows do not open
}

TEST(FieldCipherTest, AMasterKeyIsHexOr32Bytes) {
  const std::string hex(64, 'a');
  EXPECT_EQ(ParseMasterKey(hex + "\n", "env").value()[0], 0xaa);
  EXPECT_OK(ParseMasterKey(std::string(32, 'k'), "file"));
  EXPECT_THAT(ParseMasterKey("short", "$FH_MASTER_KEY").status().message(),
              HasSubstr("$FH_MASTER_KEY: a master key is 64 hex digits"));
}

}  // namespace
}  // namespace fh::security
