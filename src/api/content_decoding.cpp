#include "api/content_decoding.h"

#include <strings.h>
#include <zlib.h>

#include <algorithm>

namespace fh::api {

namespace {

bool Is(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// zlib's stream, ended however the decoding returns.
class Inflater {
 public:
  Inflater() = default;
  ~Inflater() {
    if (ok_) inflateEnd(&z_);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  // 32 + MAX_WBITS: zlib detects a gzip or a zlib header by itself.
  bool Init() { return ok_ = inflateInit2(&z_, 32 + MAX_WBITS) == Z_OK; }
  z_stream& z() { return z_; }

 private:
  z_stream z_{};
  bool ok_ = false;
};

}  // namespace

Status DecodeContent(std::string_view encoding, size_t max_bytes, std::string* body,
                     bool* too_large) {
  *too_large = false;
  if (encoding.empty() || Is(encoding, "identity")) return Status::Ok();
  if (!Is(encoding, "gzip") && !Is(encoding, "x-gzip") && !Is(encoding, "deflate")) {
    return InvalidArgument("Content-Encoding '{}' is not supported (gzip, deflate or none)",
                           encoding.substr(0, std::min<size_t>(encoding.size(), 40)));
  }
  Inflater inflater;
  if (!inflater.Init()) return Internal("zlib could not start inflating");
  z_stream& z = inflater.z();
  z.next_in = reinterpret_cast<Bytef*>(body->data());
  z.avail_in = static_cast<uInt>(std::min<size_t>(body->size(), UINT32_MAX));
  std::string out;
  // Grows with what the stream yields, never past the limit (plus a step to see it passed).
  constexpr size_t kStep = 256 << 10;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (out.size() > max_bytes) {
      *too_large = true;
      return InvalidArgument("the body inflates to more than {} bytes, the server's limit",
                             max_bytes);
    }
    const size_t used = out.size();
    out.resize(used + kStep);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + used);
    z.avail_out = kStep;
    rc = inflate(&z, Z_NO_FLUSH);
    out.resize(used + (kStep - z.avail_out));
    if (rc == Z_STREAM_END) break;
    if (rc == Z_BUF_ERROR && z.avail_in == 0) {
      return InvalidArgument("the {} body ends before its compressed stream does", encoding);
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return InvalidArgument("the {} body is corrupt: {}", encoding, z.msg ? z.msg : "zlib error");
    }
  }
  if (out.size() > max_bytes) {
    *too_large = true;
    return InvalidArgument("the body inflates to more than {} bytes, the server's limit",
                           max_bytes);
  }
  *body = std::move(out);
  return Status::Ok();
}

}  // namespace fh::api
