#include "store/codec/chunk_codec.h"

#include <cassert>
#include <cstdint>
#include <string>
#include <vector>

#include "store/codec/byte_io.h"
#include "store/codec/decimal.h"
#include "store/codec/decimal_values.h"
#include "store/codec/gorilla.h"
#include "store/codec/int_stream.h"
#include "store/codec/quality_rle.h"
#include "store/codec/zstd_values.h"

namespace fh::codec {
namespace {

constexpr uint8_t kFormatVersion = 1;
constexpr size_t kHeaderSize = 20;
// kDecimal stores up to 1 value in 64 raw (NaN, -0.0, an odd reading); more, and the data
// is not really decimal. Each costs ~9 bytes, at most ~0.14 bytes per point in all.
constexpr size_t kMaxExceptionShare = 64;

// Where each section of a validated blob is.
struct Layout {
  ChunkInfo info;
  std::string_view ts, values, quality;
};

Result<Layout> ParseLayout(std::string_view blob) {
  if (blob.size() < kHeaderSize) return Corruption("chunk: {} bytes, header needs 20", blob.size());
  const auto* p = reinterpret_cast<const uint8_t*>(blob.data());
  if (p[0] != kFormatVersion) return Corruption("chunk: unknown format version {}", p[0]);
  Layout l;
  const uint8_t encoding = p[1];
  if (encoding < 1 || encoding > 3) return Corruption("chunk: unknown value encoding {}", encoding);
  l.info.encoding = static_cast<ValueEncoding>(encoding);
  l.info.decimal_scale = p[2];
  if (l.info.decimal_scale > kMaxDecimalScale ||
      (l.info.encoding != ValueEncoding::kDecimal && l.info.decimal_scale != 0)) {
    return Corruption("chunk: bad decimal scale {}", l.info.decimal_scale);
  }
  if (p[3] != 0) return Corruption("chunk: unknown flags {:#x}", p[3]);
  l.info.count = LoadLE32(p + 4);
  if (l.info.count > kMaxChunkPoints) return Corruption("chunk: {} points", l.info.count);
  const uint64_t ts_bytes = LoadLE32(p + 8);
  const uint64_t value_bytes = LoadLE32(p + 12);
  const uint64_t quality_bytes = LoadLE32(p + 16);
  if (kHeaderSize + ts_bytes + value_bytes + quality_bytes != blob.size()) {
    return Corruption("chunk: sections of {}+{}+{} bytes in a {}-byte blob", ts_bytes, value_bytes,
                      quality_bytes, blob.size());
  }
  l.ts = blob.substr(kHeaderSize, ts_bytes);
  l.values = blob.substr(kHeaderSize + ts_bytes, value_bytes);
  l.quality = blob.substr(kHeaderSize + ts_bytes + value_bytes);
  return l;
}

// Whether at least a quarter of the values repeat their predecessor.
bool MostlyRepeats(std::span<const int64_t> mantissas) {
  size_t repeats = 0;
  for (size_t i = 1; i < mantissas.size(); ++i)
    repeats += mantissas[i] == mantissas[i - 1];
  return repeats * 4 >= mantissas.size();
}

struct ValueChoice {
  ValueEncoding encoding;
  int scale = 0;
};

// Appends the values section; returns what it used.
ValueChoice AppendValues(std::span<const double> values, const EncodeOptions& options,
                         std::string* out) {
  const auto forced = options.force_encoding;
  if (forced == ValueEncoding::kGorilla) {
    AppendGorilla(values, out);
    return {ValueEncoding::kGorilla};
  }
  if (forced == ValueEncoding::kZstd) {
    AppendZstdValues(values, options.zstd_level, out);
    return {ValueEncoding::kZstd};
  }

  const size_t start = out->size();
  std::vector<int64_t> mantissas(values.size());
  const std::optional<DecimalPlan> plan =
      PlanDecimal(values, options.max_decimal_scale, values.size() / kMaxExceptionShare, mantissas);
  if (plan) {
    AppendDecimalValues(values, mantissas, *plan, out);
    const size_t decimal_bytes = out->size() - start;
    if (forced == ValueEncoding::kDecimal) return {ValueEncoding::kDecimal, plan->scale};
    // At two bytes a value or less Gorilla never comes close on decimal data (it needs ~40
    // bits for a 3-decimal random walk), and zstd only does on runs of repeated values (a
    // counter that steps rarely, a setpoint), where bit-packed deltas still pay a bit or
    // so each. Measured on the shipped data sets: bench/codec_choice.
    if (decimal_bytes <= 2 * values.size()) {
      if (!MostlyRepeats(mantissas)) return {ValueEncoding::kDecimal, plan->scale};
      std::string zstd;
      AppendZstdValues(values, options.zstd_level, &zstd);
      if (zstd.size() >= decimal_bytes) return {ValueEncoding::kDecimal, plan->scale};
      out->resize(start);
      out->append(zstd);
      return {ValueEncoding::kZstd};
    }
  }
  std::string gorilla, zstd;
  AppendGorilla(values, &gorilla);
  AppendZstdValues(values, options.zstd_level, &zstd);
  const size_t decimal_bytes = plan ? out->size() - start : SIZE_MAX;
  if (decimal_bytes <= gorilla.size() && decimal_bytes <= zstd.size()) {
    return {ValueEncoding::kDecimal, plan->scale};
  }
  out->resize(start);
  if (gorilla.size() <= zstd.size()) {
    out->append(gorilla);
    return {ValueEncoding::kGorilla};
  }
  out->append(zstd);
  return {ValueEncoding::kZstd};
}

// Checks the values section as far as possible without decoding, so that nothing is
// allocated for a blob whose sections cannot hold its count.
Status CheckValues(const Layout& l, DecimalValuesReader* decimal) {
  switch (l.info.encoding) {
    case ValueEncoding::kDecimal:
      return decimal->Init(l.values, l.info.count, l.info.decimal_scale);
    case ValueEncoding::kGorilla:
      return CheckGorillaSize(l.values, l.info.count);
    case ValueEncoding::kZstd:
      return CheckZstdValues(l.values, l.info.count);
  }
  return Corruption("chunk: unknown value encoding");
}

Status DecodeValues(const Layout& l, DecimalValuesReader* decimal, double* out) {
  switch (l.info.encoding) {
    case ValueEncoding::kDecimal:
      decimal->Decode(out);
      return Status::Ok();
    case ValueEncoding::kGorilla:
      return DecodeGorilla(l.values, l.info.count, out);
    case ValueEncoding::kZstd:
      return DecodeZstdValues(l.values, l.info.count, out);
  }
  return Corruption("chunk: unknown value encoding");
}

void DecodeTimestamps(IntStreamReader* reader, int64_t* out) {
  size_t i = 0;
  while (const size_t k = reader->Next(out + i))
    i += k;
}

}  // namespace

void EncodeChunk(std::span<const int64_t> ts, std::span<const double> values,
                 std::span<const uint32_t> quality, const EncodeOptions& options,
                 std::string* out) {
  assert(ts.size() == values.size() && ts.size() == quality.size());
  assert(ts.size() <= kMaxChunkPoints);
  out->assign(kHeaderSize, '\0');
  AppendIntStream(ts, out);
  const size_t ts_end = out->size();
  const ValueChoice choice = AppendValues(values, options, out);
  const size_t values_end = out->size();
  AppendQualityRuns(quality, out);

  auto* p = reinterpret_cast<uint8_t*>(out->data());
  p[0] = kFormatVersion;
  p[1] = static_cast<uint8_t>(choice.encoding);
  p[2] = static_cast<uint8_t>(choice.scale);
  p[3] = 0;
  StoreLE32(p + 4, static_cast<uint32_t>(ts.size()));
  StoreLE32(p + 8, static_cast<uint32_t>(ts_end - kHeaderSize));
  StoreLE32(p + 12, static_cast<uint32_t>(values_end - ts_end));
  StoreLE32(p + 16, static_cast<uint32_t>(out->size() - values_end));
}

Result<ChunkInfo> ReadChunkInfo(std::string_view blob) {
  FH_ASSIGN_OR_RETURN(const Layout l, ParseLayout(blob));
  return l.info;
}

Status DecodeChunk(std::string_view blob, DecodedChunk* out) {
  FH_ASSIGN_OR_RETURN(const Layout l, ParseLayout(blob));
  IntStreamReader ts;
  DecimalValuesReader decimal;
  FH_RETURN_IF_ERROR(ts.Init(l.ts, l.info.count));
  FH_RETURN_IF_ERROR(CheckValues(l, &decimal));
  FH_RETURN_IF_ERROR(CheckQualityRuns(l.quality, l.info.count));
  out->ts.resize(l.info.count);
  out->values.resize(l.info.count);
  out->quality.resize(l.info.count);
  DecodeTimestamps(&ts, out->ts.data());
  FH_RETURN_IF_ERROR(DecodeValues(l, &decimal, out->values.data()));
  return DecodeQualityRuns(l.quality, l.info.count, out->quality.data());
}

Status DecodeTimestampsAndValues(std::string_view blob, DecodeBuffer<int64_t>* ts,
                                 DecodeBuffer<double>* values) {
  FH_ASSIGN_OR_RETURN(const Layout l, ParseLayout(blob));
  IntStreamReader ts_reader;
  DecimalValuesReader decimal;
  FH_RETURN_IF_ERROR(ts_reader.Init(l.ts, l.info.count));
  FH_RETURN_IF_ERROR(CheckValues(l, &decimal));
  // Quality is not decoded, but its run lengths must still add up to the count: that
  // catches a corrupted count that the other sections happen to accept.
  FH_RETURN_IF_ERROR(CheckQualityRuns(l.quality, l.info.count));
  ts->resize(l.info.count);
  values->resize(l.info.count);
  DecodeTimestamps(&ts_reader, ts->data());
  return DecodeValues(l, &decimal, values->data());
}

}  // namespace fh::codec
