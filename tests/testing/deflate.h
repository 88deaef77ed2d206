// zlib's deflate, for tests that send compressed bodies and payloads (an encoder
// independent of the decoders under test, which inflate).
#pragma once

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <string_view>

namespace fh::testing {

// `window_bits`: 15 a zlib stream (Sparkplug's DEFLATE), 16 + 15 gzip, -15 raw deflate.
inline std::string Deflate(std::string_view bytes, int window_bits, int level = 6) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, bytes.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

inline std::string Gzip(std::string_view bytes) {
  return Deflate(bytes, 16 + 15, 9);
}

}  // namespace fh::testing
