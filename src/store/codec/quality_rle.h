// Run-length encoding of the per-point quality codes, which rarely change within a chunk
// (usually the whole chunk is one run, costing 2-6 bytes).
//
// Layout: varint run count, then per run: varint quality, varint length (>= 1). The
// lengths add up to the chunk's point count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace fh::codec {

void AppendQualityRuns(std::span<const uint32_t> quality, std::string* out);

// Validates without decoding (cheap: one step per run), for readers that skip quality.
Status CheckQualityRuns(std::string_view bytes, size_t count);

// Decodes count codes into out.
Status DecodeQualityRuns(std::string_view bytes, size_t count, uint32_t* out);

}  // namespace fh::codec
