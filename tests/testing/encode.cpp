#include "testing/encode.h"

#include <gtest/gtest.h>
#include <iconv.h>

namespace fh::testing {

std::string Encode(std::string_view utf8, const char* encoding) {
  iconv_t cd = iconv_open(encoding, "UTF-8");
  EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1)) << encoding;
  if (cd == reinterpret_cast<iconv_t>(-1)) return {};
  std::string out(utf8.size() * 4 + 16, '\0');
  char* in = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* outp = out.data();
  size_t out_left = out.size();
  EXPECT_NE(iconv(cd, &in, &in_left, &outp, &out_left), static_cast<size_t>(-1)) << encoding;
  iconv_close(cd);
  out.resize(out.size() - out_left);
  return out;
}

}  // namespace fh::testing
