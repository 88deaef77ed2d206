// A SampleBatch as bytes: what an edge hub's outbox keeps and what it sends its central
// hub. Little-endian: the tag names (u32 count, then u16 length and bytes each), the points
// (u32 count), then the columns whole: tag index u32, time i64, value f64 (its bits, NaN
// payloads kept), quality u32. Decoding checks every length against what is left: a
// corrupt or hostile record is an error, never a read past its end.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "model/sample.h"

namespace fh::outbox {

void EncodeSampleBatch(const SampleBatch& batch, std::string* out);
// Appends the points to `batch` (names interned into it).
Status DecodeSampleBatch(std::string_view bytes, SampleBatch* batch);

}  // namespace fh::outbox
