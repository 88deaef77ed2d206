// MSB-first bit writer and reader for the Gorilla value encoding.
//
// The reader never touches memory outside its bytes: reads past the end return zero
// bits and mark the reader as overrun, which the caller checks once at the end instead of
// after every field (each field is bounded, so overrunning costs nothing but the check).
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "store/codec/byte_io.h"

namespace fh::codec {

class BitWriter {
 public:
  explicit BitWriter(std::string* out) : out_(out) {}

  // Appends the low nbits (1..64) of v, most significant first. v must be < 2^nbits.
  void Write(uint64_t v, int nbits) {
    assert(nbits >= 1 && nbits <= 64);
    if (nbits > 32) {
      WriteUpTo32(v >> 32, nbits - 32);
      WriteUpTo32(v & 0xffffffff, 32);
    } else {
      WriteUpTo32(v, nbits);
    }
  }

  // Pads the last byte with zero bits.
  void Finish() {
    for (int i = 0; i < used_; i += 8)
      out_->push_back(static_cast<char>(acc_ >> (56 - i)));
    acc_ = 0;
    used_ = 0;
  }

 private:
  void WriteUpTo32(uint64_t v, int nbits) {
    if (used_ + nbits <= 64) {
      acc_ |= v << (64 - used_ - nbits);
      used_ += nbits;
      if (used_ == 64) Flush();
      return;
    }
    const int spill = used_ + nbits - 64;
    acc_ |= v >> spill;
    used_ = 64;
    Flush();
    acc_ = v << (64 - spill);
    used_ = spill;
  }

  void Flush() {
    for (int i = 0; i < 64; i += 8)
      out_->push_back(static_cast<char>(acc_ >> (56 - i)));
    acc_ = 0;
    used_ = 0;
  }

  std::string* out_;
  uint64_t acc_ = 0;  // pending bits, left-aligned
  int used_ = 0;
};

class BitReader {
 public:
  explicit BitReader(std::string_view bytes)
      : p_(reinterpret_cast<const uint8_t*>(bytes.data())), size_(bytes.size()) {}

  // Next nbits (1..64) as an unsigned number.
  uint64_t Read(int nbits) {
    assert(nbits >= 1 && nbits <= 64);
    if (nbits > 56) {
      const uint64_t hi = Read56(nbits - 32);
      return (hi << 32) | Read56(32);
    }
    return Read56(nbits);
  }

  bool ReadBit() { return Read56(1) != 0; }

  // Bits consumed so far; more than 8 * size() means the stream was too short.
  uint64_t position() const { return pos_; }
  size_t size() const { return size_; }

 private:
  uint64_t Read56(int nbits) {
    const uint64_t v = (Window() << (pos_ & 7)) >> (64 - nbits);
    pos_ += nbits;
    return v;
  }

  // The 8 bytes from the current byte on, big-endian, zeros past the end.
  uint64_t Window() const {
    const size_t byte = pos_ >> 3;
    uint64_t w = 0;
    if (byte + 8 <= size_) return LoadBE64(p_ + byte);
    for (size_t i = 0; i < 8; ++i) {
      w = (w << 8) | (byte + i < size_ ? p_[byte + i] : 0);
    }
    return w;
  }

  const uint8_t* p_;
  size_t size_;
  uint64_t pos_ = 0;
};

}  // namespace fh::codec
