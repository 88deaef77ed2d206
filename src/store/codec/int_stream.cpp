#include "store/codec/int_stream.h"

#include <algorithm>
#include <cassert>
#include <vector>

#include "store/codec/byte_io.h"
#include "store/codec/zigzag.h"

namespace fh::codec {
namespace {

size_t VarintBytes(uint64_t v) {
  size_t n = 1;
  for (; v >= 0x80; v >>= 7)
    ++n;
  return n;
}

// Zigzagged order-k difference ending at values[i] (i >= k).
uint64_t Residual(std::span<const int64_t> values, size_t i, int order) {
  const uint64_t d = ToBits(values[i]) - ToBits(values[i - 1]);
  if (order == 1) return ZigzagEncode(d);
  return ZigzagEncode(d - (ToBits(values[i - 1]) - ToBits(values[i - 2])));
}

// Residuals of block b for the given order into buf; returns how many.
size_t BlockResiduals(std::span<const int64_t> values, int order, size_t b, uint64_t* buf) {
  const size_t residuals = values.size() - order;
  const size_t begin = b * kBlockSize;
  const size_t len = std::min(kBlockSize, residuals - begin);
  for (size_t j = 0; j < len; ++j)
    buf[j] = Residual(values, begin + j + order, order);
  return len;
}

size_t BlockCount(size_t residuals) {
  return (residuals + kBlockSize - 1) / kBlockSize;
}

// Per-block widths and the stream's size in bytes for one order.
size_t PlanStream(std::span<const int64_t> values, int order, std::vector<uint8_t>* widths) {
  size_t bytes = 1 + VarintBytes(ZigzagEncode(ToBits(values[0])));
  if (order == 2) bytes += VarintBytes(ZigzagEncode(ToBits(values[1]) - ToBits(values[0])));
  const size_t residuals = values.size() - order;
  widths->clear();
  uint64_t buf[kBlockSize];
  for (size_t b = 0; b < BlockCount(residuals); ++b) {
    const size_t len = BlockResiduals(values, order, b, buf);
    widths->push_back(static_cast<uint8_t>(BitWidth(buf, len)));
    bytes += PackedBytes(len, widths->back());
  }
  if (residuals > 0) {
    const bool shared = std::all_of(widths->begin(), widths->end(),
                                    [&](uint8_t w) { return w == widths->front(); });
    bytes += shared ? 1 : 1 + widths->size();
  }
  return bytes;
}

}  // namespace

void AppendIntStream(std::span<const int64_t> values, std::string* out, int order) {
  assert(order >= 0 && order <= 2);
  if (values.empty()) {
    out->push_back(1);
    return;
  }
  // Order 2 needs two values before its residuals; a single value is order 1.
  if (values.size() == 1) order = 1;
  std::vector<uint8_t> widths;
  if (order == 0) {
    std::vector<uint8_t> widths2;
    const size_t bytes1 = PlanStream(values, 1, &widths);
    const size_t bytes2 = PlanStream(values, 2, &widths2);
    order = bytes2 < bytes1 ? 2 : 1;
    if (order == 2) widths.swap(widths2);
  } else {
    PlanStream(values, order, &widths);
  }

  out->push_back(static_cast<char>(order));
  PutVarint64(out, ZigzagEncode(ToBits(values[0])));
  if (order == 2) PutVarint64(out, ZigzagEncode(ToBits(values[1]) - ToBits(values[0])));
  if (widths.empty()) return;
  const bool shared =
      std::all_of(widths.begin(), widths.end(), [&](uint8_t w) { return w == widths[0]; });
  if (shared) {
    out->push_back(static_cast<char>(widths[0]));
  } else {
    out->push_back(static_cast<char>(kPerBlockWidths));
    out->append(reinterpret_cast<const char*>(widths.data()), widths.size());
  }
  uint64_t buf[kBlockSize];
  for (size_t b = 0; b < widths.size(); ++b) {
    const size_t len = BlockResiduals(values, order, b, buf);
    PackBlock(buf, len, widths[b], out);
  }
}

Status IntStreamReader::Init(std::string_view bytes, size_t count) {
  *this = IntStreamReader();
  count_ = count;
  ByteReader r(bytes);
  uint8_t order;
  if (!r.ReadByte(&order) || (order != 1 && order != 2)) {
    return Corruption("int stream: bad difference order");
  }
  order_ = order;
  uint64_t v;
  if (count >= 1) {
    if (!r.ReadVarint64(&v)) return Corruption("int stream: bad first value");
    last_ = ToBits(FromBits(ZigzagDecode(v)));
  }
  if (order == 2 && count >= 2) {
    if (!r.ReadVarint64(&v)) return Corruption("int stream: bad first delta");
    delta_ = ZigzagDecode(v);
  }
  const size_t residuals = count > order ? count - order : 0;
  if (residuals == 0) {
    if (r.remaining() != 0) return Corruption("int stream: {} trailing bytes", r.remaining());
    data_ = r.position();
    return Status::Ok();
  }
  const size_t blocks = (residuals + kBlockSize - 1) / kBlockSize;
  const size_t tail = residuals - (blocks - 1) * kBlockSize;
  uint8_t width;
  if (!r.ReadByte(&width)) return Corruption("int stream: missing bit width");
  size_t data_bytes = 0;
  if (width == kPerBlockWidths) {
    block_widths_ = r.position();
    if (!r.Skip(blocks)) return Corruption("int stream: truncated bit widths");
    for (size_t b = 0; b < blocks; ++b) {
      const int w = block_widths_[b];
      if (w > kMaxBitWidth) return Corruption("int stream: bit width {} > 64", w);
      data_bytes += PackedBytes(b + 1 < blocks ? kBlockSize : tail, w);
    }
  } else {
    if (width > kMaxBitWidth) return Corruption("int stream: bit width {} > 64", width);
    shared_width_ = width;
    data_bytes = (blocks - 1) * PackedBytes(kBlockSize, width) + PackedBytes(tail, width);
  }
  if (r.remaining() != data_bytes) {
    return Corruption("int stream: {} bytes of packed data, expected {}", r.remaining(),
                      data_bytes);
  }
  data_ = r.position();
  return Status::Ok();
}

size_t IntStreamReader::Next(int64_t* out) {
  if (emitted_ >= count_) return 0;
  if (emitted_ == 0) {
    // The values stored whole come first, as a batch of their own.
    out[0] = FromBits(last_);
    emitted_ = 1;
    if (order_ == 2 && count_ >= 2) {
      last_ += delta_;
      out[1] = FromBits(last_);
      emitted_ = 2;
    }
    return emitted_;
  }
  return order_ == 1 ? NextResiduals<1>(out) : NextResiduals<2>(out);
}

template <int kOrder>
size_t IntStreamReader::NextResiduals(int64_t* out) {
  const size_t len = std::min(kBlockSize, count_ - emitted_);
  const int width = shared_width_ >= 0 ? shared_width_ : block_widths_[block_];
  uint64_t last = last_;
  uint64_t delta = delta_;
  if (width == 0) {
    // All differences are zero: a constant (order 1) or an arithmetic sequence (order 2),
    // written without a loop-carried dependency so it vectorises.
    if constexpr (kOrder == 1) {
      std::fill(out, out + len, FromBits(last));
    } else {
      for (size_t i = 0; i < len; ++i)
        out[i] = FromBits(last + (i + 1) * delta);
      last += len * delta;
    }
  } else {
    uint64_t r[kBlockSize];
    if (len == kBlockSize) {
      UnpackBlock(data_, width, r);
    } else {
      UnpackPartialBlock(data_, len, width, r);
    }
    for (size_t i = 0; i < len; ++i)
      r[i] = ZigzagDecode(r[i]);  // vectorises
    for (size_t i = 0; i < len; ++i) {
      if constexpr (kOrder == 2) delta += r[i];
      last += kOrder == 2 ? delta : r[i];
      out[i] = FromBits(last);
    }
  }
  last_ = last;
  delta_ = delta;
  data_ += PackedBytes(len, width);
  ++block_;
  emitted_ += len;
  return len;
}

}  // namespace fh::codec
