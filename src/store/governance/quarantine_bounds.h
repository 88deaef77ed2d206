// What a quarantine entry keeps of a bad record. The record itself is always kept (records
// in = accepted + quarantined), but not at any size: a hostile client sending 10 MB values
// must not make the hub store 10 MB per rejection, nor repeat the value in every reason.
//
// - the raw text and each field: at most kQuarantineTextBytes, the rest cut behind a marker
//   "…(cut N of M bytes, fnv1a64 D)" naming the original size and its digest, so that two
//   long records that differ only past the cut stay two entries;
// - a reason's value: an excerpt (common/text_excerpt.h); its message: bounded.
// Bounding is idempotent: a bounded record is bounded already.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/fnv1a.h"
#include "store/governance/governance_store.h"

namespace fh {

inline constexpr size_t kQuarantineTextBytes = 64 * 1024;

// `text` if it has at most `max_bytes` bytes, else its start and the marker, in at most
// `max_bytes` bytes.
std::string BoundQuarantineText(std::string_view text, size_t max_bytes = kQuarantineTextBytes);

// A copy of `q` with every text bounded; long texts are never copied whole.
QuarantinedRecord Bounded(const QuarantinedRecord& q);

// FNV-1a, 64 bits: identifies texts, not a security measure. As 16 hex digits.
std::string Fnv1a64Hex(std::string_view text);

}  // namespace fh
