// Values as raw little-endian doubles compressed with zstd: the fallback for data that is
// neither decimal nor smooth enough for Gorilla, and the best choice for long repeats of
// full-precision values (zstd finds them; Gorilla still spends a bit per value).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace fh::codec {

void AppendZstdValues(std::span<const double> values, int level, std::string* out);

// Checks the frame header announces count values, before any allocation.
Status CheckZstdValues(std::string_view bytes, size_t count);

Status DecodeZstdValues(std::string_view bytes, size_t count, double* out);

}  // namespace fh::codec
