// The web dashboard's files (web/, docs/dashboard.md), built by npm and embedded in the
// program at build time (scripts/embed_web.py), each gzipped: one file is the whole
// product. Served at / (index.html) and /assets/... by HandleWebAsset.
#pragma once

#include <span>
#include <string_view>

#include "api/http_message.h"

namespace fh::api {

struct WebAsset {
  std::string_view path;          // "/index.html", "/assets/index-3f9a.js"
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view gzipped;       // the file, gzipped
  bool immutable = false;         // named by its content's hash: cached for a year
};

// Every embedded file, by path; empty when the dashboard was not built.
std::span<const WebAsset> WebAssets();
const WebAsset* FindWebAsset(std::string_view path);

// Answers with `asset`: gzipped when the client accepts it (every browser does), else
// inflated.
void ReplyWebAsset(const WebAsset& asset, const HttpRequest& req, HttpResponse& res);

}  // namespace fh::api
