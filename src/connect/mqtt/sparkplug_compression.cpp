#include "connect/mqtt/sparkplug_compression.h"

#include <strings.h>
#include <zlib.h>

#include <algorithm>

#include "common/text_excerpt.h"

namespace fh::connect {

namespace {

// zlib's stream, ended however inflating returns.
class Inflater {
 public:
  explicit Inflater(int window_bits) { ok_ = inflateInit2(&z_, window_bits) == Z_OK; }
  ~Inflater() {
    if (ok_) inflateEnd(&z_);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  bool ok() const { return ok_; }
  z_stream& z() { return z_; }

 private:
  z_stream z_{};
  bool ok_ = false;
};

// A zlib (RFC 1950) header: deflate with a window of at most 32 KiB, and a check sum
// that makes the first two bytes a multiple of 31.
bool HasZlibHeader(std::string_view body) {
  if (body.size() < 2) return false;
  const auto cmf = static_cast<uint8_t>(body[0]);
  const auto flg = static_cast<uint8_t>(body[1]);
  return (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && (cmf * 256 + flg) % 31 == 0;
}

}  // namespace

Result<SparkplugCompression> ParseSparkplugCompression(std::string_view name) {
  auto is = [&](std::string_view want) {
    return name.size() == want.size() && strncasecmp(name.data(), want.data(), want.size()) == 0;
  };
  if (is("DEFLATE")) return SparkplugCompression::kDeflate;
  if (is("GZIP")) return SparkplugCompression::kGzip;
  return InvalidArgument("sparkplug: compression algorithm '{}' is not DEFLATE or GZIP",
                         Excerpt(name, 64));
}

Result<std::string> InflateSparkplugBody(std::string_view body, SparkplugCompression algorithm,
                                         size_t limit) {
  const char* what = algorithm == SparkplugCompression::kGzip ? "GZIP" : "DEFLATE";
  // 16 + MAX_WBITS: a gzip header and trailer; MAX_WBITS: a zlib one; -MAX_WBITS: none.
  const int window_bits = algorithm == SparkplugCompression::kGzip ? 16 + MAX_WBITS
                          : HasZlibHeader(body)                    ? MAX_WBITS
                                                                   : -MAX_WBITS;
  Inflater inflater(window_bits);
  if (!inflater.ok()) return Internal("sparkplug: zlib could not start inflating");
  z_stream& z = inflater.z();
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  z.avail_in = static_cast<uInt>(body.size());
  std::string out;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (out.size() >= limit) {
      return InvalidArgument("sparkplug: the {} body inflates past {} MiB", what, limit >> 20);
    }
    const size_t old = out.size();
    const size_t chunk = std::min<size_t>(limit - old, 64 << 10);
    out.resize(old + chunk);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + old);
    z.avail_out = static_cast<uInt>(chunk);
    rc = inflate(&z, Z_NO_FLUSH);
    out.resize(old + chunk - z.avail_out);
    if (rc == Z_STREAM_END) break;
    // No progress with room to write: the input ended before the stream did.
    if (rc == Z_BUF_ERROR && z.avail_out != 0) {
      return InvalidArgument("sparkplug: the {} body is truncated", what);
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return InvalidArgument("sparkplug: the {} body is damaged: {}", what,
                             z.msg ? z.msg : zError(rc));
    }
  }
  if (z.avail_in != 0) {
    return InvalidArgument("sparkplug: {} bytes after the end of the {} body", z.avail_in, what);
  }
  return out;
}

}  // namespace fh::connect
