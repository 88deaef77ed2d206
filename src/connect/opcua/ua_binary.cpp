#include "connect/opcua/ua_binary.h"

#include <bit>
#include <cstring>

namespace fh::opcua {

Status Reader::ErrorAt(size_t offset, std::string_view what, std::string_view detail) const {
  return InvalidArgument("OPC UA decode: {} at byte {}: {}", what, offset, detail);
}

Status Reader::Need(size_t n, std::string_view what) const {
  if (n <= remaining()) return Status::Ok();
  return Error(what, fmt::format("truncated: needs {} bytes, {} left", n, remaining()));
}

template <typename T>
Status Reader::ReadLittleEndian(T* out, std::string_view what) {
  FH_RETURN_IF_ERROR(Need(sizeof(T), what));
  T v = 0;
  for (size_t i = 0; i < sizeof(T); ++i)
    v |= static_cast<T>(static_cast<T>(data_[pos_ + i]) << (8 * i));
  pos_ += sizeof(T);
  *out = v;
  return Status::Ok();
}

Status Reader::ReadBoolean(bool* out, std::string_view what) {
  uint8_t b = 0;
  FH_RETURN_IF_ERROR(ReadUInt8(&b, what));
  *out = b != 0;  // the spec's writers send 1; any non-zero is read as true
  return Status::Ok();
}

Status Reader::ReadUInt8(uint8_t* out, std::string_view what) {
  FH_RETURN_IF_ERROR(Need(1, what));
  *out = data_[pos_++];
  return Status::Ok();
}

Status Reader::ReadInt8(int8_t* out, std::string_view what) {
  uint8_t v = 0;
  FH_RETURN_IF_ERROR(ReadUInt8(&v, what));
  *out = static_cast<int8_t>(v);
  return Status::Ok();
}

Status Reader::ReadUInt16(uint16_t* out, std::string_view what) {
  return ReadLittleEndian(out, what);
}

Status Reader::ReadInt16(int16_t* out, std::string_view what) {
  uint16_t v = 0;
  FH_RETURN_IF_ERROR(ReadLittleEndian(&v, what));
  *out = static_cast<int16_t>(v);
  return Status::Ok();
}

Status Reader::ReadUInt32(uint32_t* out, std::string_view what) {
  return ReadLittleEndian(out, what);
}

Status Reader::ReadInt32(int32_t* out, std::string_view what) {
  uint32_t v = 0;
  FH_RETURN_IF_ERROR(ReadLittleEndian(&v, what));
  *out = static_cast<int32_t>(v);
  return Status::Ok();
}

Status Reader::ReadUInt64(uint64_t* out, std::string_view what) {
  return ReadLittleEndian(out, what);
}

Status Reader::ReadInt64(int64_t* out, std::string_view what) {
  uint64_t v = 0;
  FH_RETURN_IF_ERROR(ReadLittleEndian(&v, what));
  *out = static_cast<int64_t>(v);
  return Status::Ok();
}

Status Reader::ReadFloat(float* out, std::string_view what) {
  uint32_t bits = 0;
  FH_RETURN_IF_ERROR(ReadLittleEndian(&bits, what));
  *out = std::bit_cast<float>(bits);
  return Status::Ok();
}

Status Reader::ReadDouble(double* out, std::string_view what) {
  uint64_t bits = 0;
  FH_RETURN_IF_ERROR(ReadLittleEndian(&bits, what));
  *out = std::bit_cast<double>(bits);
  return Status::Ok();
}

Status Reader::ReadString(std::string* out, std::string_view what, bool* is_null) {
  const size_t at = pos_;
  int32_t length = 0;
  FH_RETURN_IF_ERROR(ReadInt32(&length, what));
  out->clear();
  if (is_null) *is_null = length == -1;
  if (length == -1) return Status::Ok();
  if (length < -1) return ErrorAt(at, what, fmt::format("negative length {}", length));
  const auto n = static_cast<uint32_t>(length);
  if (n > limits_.max_string_length) {
    return ErrorAt(at, what,
                   fmt::format("length {} exceeds the limit {}", n, limits_.max_string_length));
  }
  FH_RETURN_IF_ERROR(Need(n, what));
  out->assign(reinterpret_cast<const char*>(data_.data() + pos_), n);
  pos_ += n;
  return Status::Ok();
}

Status Reader::ReadBytes(size_t n, std::span<const uint8_t>* out, std::string_view what) {
  FH_RETURN_IF_ERROR(Need(n, what));
  *out = data_.subspan(pos_, n);
  pos_ += n;
  return Status::Ok();
}

Status Reader::Skip(size_t n, std::string_view what) {
  FH_RETURN_IF_ERROR(Need(n, what));
  pos_ += n;
  return Status::Ok();
}

Status Reader::ReadArrayLength(size_t* count, size_t min_element_size, std::string_view what) {
  const size_t at = pos_;
  int32_t length = 0;
  FH_RETURN_IF_ERROR(ReadInt32(&length, what));
  *count = 0;
  if (length == -1) return Status::Ok();
  if (length < -1) return ErrorAt(at, what, fmt::format("negative array length {}", length));
  const auto n = static_cast<uint32_t>(length);
  if (n > limits_.max_array_length) {
    return ErrorAt(at, what,
                   fmt::format("{} elements exceed the limit {}", n, limits_.max_array_length));
  }
  // Checked before the caller reserves: a 4-byte length cannot claim more elements than
  // the bytes left could hold.
  if (static_cast<uint64_t>(n) * min_element_size > remaining()) {
    return ErrorAt(at, what,
                   fmt::format("{} elements of at least {} bytes do not fit in the {} bytes left",
                               n, min_element_size, remaining()));
  }
  *count = n;
  return Status::Ok();
}

Status Reader::Enter(std::string_view what) {
  if (depth_ >= limits_.max_nesting_depth) {
    return Error(what, fmt::format("nested deeper than {} levels", limits_.max_nesting_depth));
  }
  ++depth_;
  return Status::Ok();
}

void Writer::WriteFloat(float v) {
  WriteLittleEndian(std::bit_cast<uint32_t>(v));
}

void Writer::WriteDouble(double v) {
  WriteLittleEndian(std::bit_cast<uint64_t>(v));
}

void Writer::WriteString(std::string_view v) {
  WriteInt32(static_cast<int32_t>(v.size()));
  WriteBytes(v);
}

void Writer::WriteByteString(std::span<const uint8_t> v) {
  WriteInt32(static_cast<int32_t>(v.size()));
  WriteBytes(v);
}

void Writer::PatchUInt32(size_t offset, uint32_t v) {
  uint8_t bytes[4];
  for (size_t i = 0; i < 4; ++i)
    bytes[i] = static_cast<uint8_t>(v >> (8 * i));
  if (vec_) {
    std::memcpy(vec_->data() + offset, bytes, 4);
  } else {
    std::memcpy(str_->data() + offset, bytes, 4);
  }
}

void Writer::Append(const uint8_t* p, size_t n) {
  if (n == 0) return;
  if (vec_) {
    vec_->insert(vec_->end(), p, p + n);
  } else {
    str_->append(reinterpret_cast<const char*>(p), n);
  }
}

}  // namespace fh::opcua
