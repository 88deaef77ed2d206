// Gorilla XOR encoding of doubles (Pelkonen et al., "Gorilla: A Fast, Scalable, In-Memory
// Time Series Database", VLDB 2015, section 4.1.2), for values that are not decimals.
//
// Bit stream, most significant bit first, zero-padded to a whole byte:
//   64 bits     the first value
//   per value   x = bits ^ previous bits
//     '0'                               x == 0 (repeated value)
//     '10' + len bits                   x fits the previous window (leading, len)
//     '11' + 5 bits leading + 6 bits (len - 1) + len bits     a new window
// leading is capped at 31 to fit 5 bits. The encoder reuses the window only when that is
// no longer than opening a new one, a small improvement on always reusing it.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace fh::codec {

void AppendGorilla(std::span<const double> values, std::string* out);

// Checks what can be checked before decoding: the stream is long enough for count values.
Status CheckGorillaSize(std::string_view bytes, size_t count);

// Decodes count values into out. Corruption for streams that are malformed or do not end
// exactly at the last value.
Status DecodeGorilla(std::string_view bytes, size_t count, double* out);

}  // namespace fh::codec
