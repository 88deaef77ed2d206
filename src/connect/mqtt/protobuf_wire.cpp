#include "connect/mqtt/protobuf_wire.h"

#include <cstring>

namespace fh::connect {

bool WireReader::Varint(uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (at_ >= data_.size()) return false;
    const auto byte = static_cast<uint8_t>(data_[at_++]);
    *v |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return true;
  }
  return false;  // more than 10 bytes
}

bool WireReader::Next(WireField* f) {
  if (at_ >= data_.size()) return false;
  uint64_t key = 0;
  if (!Varint(&key) || (key >> 3) == 0 || (key >> 3) > 0x1fffffff) {
    error_ = true;
    return false;
  }
  f->number = static_cast<uint32_t>(key >> 3);
  f->type = static_cast<WireType>(key & 7);
  f->bytes = {};
  f->value = 0;
  switch (f->type) {
    case WireType::kVarint:
      if (!Varint(&f->value)) error_ = true;
      break;
    case WireType::kFixed64:
      if (data_.size() - at_ < 8) {
        error_ = true;
      } else {
        std::memcpy(&f->value, data_.data() + at_, 8);
        at_ += 8;
      }
      break;
    case WireType::kFixed32:
      if (data_.size() - at_ < 4) {
        error_ = true;
      } else {
        uint32_t v;
        std::memcpy(&v, data_.data() + at_, 4);
        f->value = v;
        at_ += 4;
      }
      break;
    case WireType::kLength: {
      uint64_t n = 0;
      if (!Varint(&n) || n > data_.size() - at_) {
        error_ = true;
      } else {
        f->bytes = data_.substr(at_, n);
        at_ += n;
      }
      break;
    }
    default:
      error_ = true;  // groups (3, 4) and unknown types
  }
  return !error_;
}

void WireWriter::Raw(uint64_t v) {
  while (v >= 0x80) {
    out_ += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out_ += static_cast<char>(v);
}

void WireWriter::Varint(uint32_t number, uint64_t v) {
  Raw(uint64_t{number} << 3 | 0);
  Raw(v);
}

void WireWriter::Bytes(uint32_t number, std::string_view bytes) {
  Raw(uint64_t{number} << 3 | 2);
  Raw(bytes.size());
  out_.append(bytes);
}

}  // namespace fh::connect
