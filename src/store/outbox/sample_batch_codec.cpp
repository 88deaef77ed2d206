#include "store/outbox/sample_batch_codec.h"

#include <bit>
#include <cstring>
#include <vector>

namespace fh::outbox {
namespace codec_detail {

static_assert(std::endian::native == std::endian::little, "the format is little-endian");

template <typename T>
void Put(std::string* out, T v) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));
  out->append(bytes, sizeof(T));
}

template <typename T>
void PutColumn(std::string* out, const std::vector<T>& column) {
  out->append(reinterpret_cast<const char*>(column.data()), column.size() * sizeof(T));
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : rest_(bytes) {}
  template <typename T>
  bool Get(T* v) {
    if (rest_.size() < sizeof(T)) return false;
    std::memcpy(v, rest_.data(), sizeof(T));
    rest_.remove_prefix(sizeof(T));
    return true;
  }
  bool Bytes(size_t n, std::string_view* out) {
    if (rest_.size() < n) return false;
    *out = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return true;
  }
  size_t left() const { return rest_.size(); }

 private:
  std::string_view rest_;
};

}  // namespace codec_detail

void EncodeSampleBatch(const SampleBatch& batch, std::string* out) {
  using codec_detail::Put;
  const auto& names = batch.tag_names();
  Put<uint32_t>(out, static_cast<uint32_t>(names.size()));
  for (const std::string& name : names) {
    Put<uint16_t>(out, static_cast<uint16_t>(name.size()));  // names are at most 255 bytes
    out->append(name);
  }
  Put<uint32_t>(out, static_cast<uint32_t>(batch.size()));
  codec_detail::PutColumn(out, batch.tag());
  codec_detail::PutColumn(out, batch.ts());
  codec_detail::PutColumn(out, batch.value());
  codec_detail::PutColumn(out, batch.quality());
}

Status DecodeSampleBatch(std::string_view bytes, SampleBatch* batch) {
  codec_detail::Reader r(bytes);
  uint32_t tags = 0;
  if (!r.Get(&tags) || tags > r.left() / 2) return InvalidArgument("sample batch: bad tag count");
  std::vector<uint32_t> index(tags);
  for (uint32_t i = 0; i < tags; ++i) {
    uint16_t n = 0;
    std::string_view name;
    if (!r.Get(&n) || !r.Bytes(n, &name)) return InvalidArgument("sample batch: tag {} cut off", i);
    if (!IsValidTagName(name)) return InvalidArgument("sample batch: tag {} has a bad name", i);
    index[i] = batch->InternTag(name);
  }
  uint32_t points = 0;
  constexpr size_t kPointBytes = 4 + 8 + 8 + 4;
  if (!r.Get(&points) || r.left() != size_t{points} * kPointBytes) {
    return InvalidArgument("sample batch: {} points do not fill its {} bytes", points, r.left());
  }
  std::string_view tag_col, ts_col, value_col, quality_col;
  r.Bytes(points * size_t{4}, &tag_col);
  r.Bytes(points * size_t{8}, &ts_col);
  r.Bytes(points * size_t{8}, &value_col);
  r.Bytes(points * size_t{4}, &quality_col);
  batch->Reserve(batch->size() + points);
  for (uint32_t i = 0; i < points; ++i) {
    uint32_t tag, quality;
    int64_t ts;
    double value;
    std::memcpy(&tag, tag_col.data() + i * size_t{4}, 4);
    std::memcpy(&ts, ts_col.data() + i * size_t{8}, 8);
    std::memcpy(&value, value_col.data() + i * size_t{8}, 8);
    std::memcpy(&quality, quality_col.data() + i * size_t{4}, 4);
    if (tag >= tags)
      return InvalidArgument("sample batch: point {} names tag {} of {}", i, tag, tags);
    batch->Add(index[tag], ts, value, quality);
  }
  return Status();
}

}  // namespace fh::outbox
