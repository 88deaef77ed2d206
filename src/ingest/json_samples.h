// JSON samples: the body of POST /api/v1/samples, {"samples": [{tag, ts, value, quality}]}
// or the bare array. `ts` is RFC 3339 text or epoch nanoseconds (absent: the time of
// arrival); `quality` 0..255 (absent: good). Each element is read on its own: a bad one is
// reported with why, and the others are kept.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "model/sample.h"

namespace fh::ingest {

// Samples nest three levels deep ({"samples": [{...}]}); deeper is not samples, and would
// cost recursion to print, so such a body is refused whole.
inline constexpr size_t kMaxSamplesDepth = 8;

struct JsonSampleError {
  size_t index = 0;  // in the request's list
  std::string raw;   // the element as JSON text
  std::string message;
};

struct JsonSamples {
  enum class Body { kSamples, kTooDeep, kNotSamples };
  Body body = Body::kSamples;
  std::string body_error;           // when body is not kSamples
  size_t elements = 0;              // in the request's list
  std::vector<size_t> batch_index;  // each point added to the batch: its index in the list
  std::vector<JsonSampleError> errors;
};

// Reads the body's samples into `batch` (appending); `now` is the time of arrival.
JsonSamples ReadJsonSamples(std::string_view body, TimestampNs now, SampleBatch& batch);

}  // namespace fh::ingest
