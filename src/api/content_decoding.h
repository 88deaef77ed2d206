// Request bodies sent compressed (Content-Encoding: gzip or deflate), inflated with a bound
// on the decoded size: a small compression bomb must cost no more memory than the largest
// body the server accepts.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace fh::api {

// Replaces `body` by its decoding per `encoding` ("", "identity", "gzip", "x-gzip",
// "deflate"; case-insensitive). InvalidArgument for an unknown encoding, a corrupt stream or
// one that inflates past `max_bytes`; `*too_large` then says which (the server answers 413
// rather than 400). Inflates in steps: never more than `max_bytes` plus one step is held.
Status DecodeContent(std::string_view encoding, size_t max_bytes, std::string* body,
                     bool* too_large);

}  // namespace fh::api
