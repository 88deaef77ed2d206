#include <zlib.h>

#include "api/http_reply.h"
#include "api/routes.h"
#include "api/web_assets.h"

namespace fh::api {
namespace {

// `gzipped` inflated; empty when it is not a gzip stream (it always is: we made it).
std::string Gunzip(std::string_view gzipped) {
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return {};
  std::string out;
  char buffer[65536];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gzipped.data()));
  z.avail_in = static_cast<uInt>(gzipped.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - z.avail_out);
  }
  inflateEnd(&z);
  return rc == Z_STREAM_END ? out : std::string();
}

}  // namespace

const WebAsset* FindWebAsset(std::string_view path) {
  for (const WebAsset& a : WebAssets()) {
    if (a.path == path) return &a;
  }
  return nullptr;
}

void ReplyWebAsset(const WebAsset& asset, const HttpRequest& req, HttpResponse& res) {
  if (req.Header("Accept-Encoding").find("gzip") != std::string::npos) {
    res.SetContent(std::string(asset.gzipped), asset.content_type);
    res.SetHeader("Content-Encoding", "gzip");
  } else {
    res.SetContent(Gunzip(asset.gzipped), asset.content_type);
  }
  res.SetHeader("Vary", "Accept-Encoding");
  res.SetHeader("Cache-Control",
                asset.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  res.SetHeader("X-Content-Type-Options", "nosniff");
  if (asset.content_type.starts_with("text/html")) {
    // The page runs only its own scripts, talks only to this server and is never framed (a
    // login page inside another site's frame is how clickjacking starts). ECharts and Vue set
    // style attributes, hence 'unsafe-inline' for styles only; the icon is a data: URI.
    res.SetHeader("Content-Security-Policy",
                  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                  "img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; "
                  "base-uri 'none'; form-action 'self'");
    res.SetHeader("X-Frame-Options", "DENY");
    res.SetHeader("Referrer-Policy", "no-referrer");
  }
}

void HandleWebAsset(Hub&, const HttpRequest& req, HttpResponse& res) {
  const WebAsset* asset = FindWebAsset(req.path);
  if (asset == nullptr) {
    return ReplyJson(res, {{"error", "the dashboard has no file " + req.path}}, 404);
  }
  ReplyWebAsset(*asset, req, res);
}

}  // namespace fh::api
