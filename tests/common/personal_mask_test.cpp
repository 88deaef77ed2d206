// Masking personal values: enough to recognise a value one knows, not to learn it.
#include "common/personal_mask.h"

#include <gtest/gtest.h>

namespace fh {
namespace {

TEST(PersonalMaskTest, EmailKeepsFirstCharacterAndDomain) {
  EXPECT_EQ(MaskPersonal("zhang.wei@acme.cn"), "z***@acme.cn");
  EXPECT_EQ(MaskPersonal("张伟@acme.cn"), "张***@acme.cn");  // a whole UTF-8 character
}

TEST(PersonalMaskTest, PhoneKeepsFirstThreeAndLastFourDigits) {
  EXPECT_EQ(MaskPersonal("13812345678"), "138****5678");
  EXPECT_EQ(MaskPersonal("+86 138-1234-5678"), "+86 1**-****-5678");
  EXPECT_EQ(MaskPersonal("0512-6688-1234"), "051*-****-1234");
}

TEST(PersonalMaskTest, NamesKeepTheirFirstCharacter) {
  EXPECT_EQ(MaskPersonal("张伟"), "张*");
  EXPECT_EQ(MaskPersonal("Müller"), "M*****");  // ü counts as one character
  EXPECT_EQ(MaskPersonal("X"), "*");
  EXPECT_EQ(MaskPersonal(""), "");
}

TEST(PersonalMaskTest, MaskInTextReplacesEveryOccurrence) {
  EXPECT_EQ(MaskInText("'li.na@x.cn' does not match; li.na@x.cn again", "li.na@x.cn"),
            "'l***@x.cn' does not match; l***@x.cn again");
  EXPECT_EQ(MaskInText("nothing here", "13812345678"), "nothing here");
  EXPECT_EQ(MaskInText("empty value", ""), "empty value");
}

}  // namespace
}  // namespace fh
