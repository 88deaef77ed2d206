// Sparkplug B compressed payloads (the convention of the spec and of Eclipse Tahu's
// PayloadUtil): a payload whose uuid is "SPBV1.0_COMPRESSED" carries another payload,
// compressed, in its body, and names the algorithm in a string metric "algorithm":
// DEFLATE (zlib's format, RFC 1950, as Tahu's and pako's deflate write it; a raw RFC 1951
// stream is read too), the default when the metric is missing, or GZIP (RFC 1952).
// Inflating is bounded: a body that would inflate past `limit` (16 MiB) is refused, so a
// compression bomb costs at most that much memory and the time to inflate it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace fh::connect {

inline constexpr std::string_view kSparkplugCompressedUuid = "SPBV1.0_COMPRESSED";
inline constexpr size_t kMaxInflatedSparkplugPayload = size_t{16} << 20;

enum class SparkplugCompression { kDeflate, kGzip };

// The algorithm an "algorithm" metric names (DEFLATE or GZIP, in any case), or
// InvalidArgument naming it.
Result<SparkplugCompression> ParseSparkplugCompression(std::string_view name);

// The inflated bytes, or InvalidArgument saying why: damaged, truncated, larger than
// `limit` inflated.
Result<std::string> InflateSparkplugBody(std::string_view body, SparkplugCompression algorithm,
                                         size_t limit = kMaxInflatedSparkplugPayload);

}  // namespace fh::connect
