#include "common/text_excerpt.h"

#include <algorithm>

#include <fmt/format.h>

namespace fh {

namespace {

// Room for "…(18446744073709551615 bytes cut)…" and the like.
constexpr size_t kMarkerBytes = 48;

bool IsContinuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

}  // namespace

std::string_view Utf8Prefix(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  // Back over at most three continuation bytes to the start of the cut sequence.
  for (int i = 0; i < 3 && end > 0 && IsContinuation(text[end]); ++i)
    --end;
  if (IsContinuation(text[end])) end = max_bytes;  // not UTF-8 there: cut anywhere
  return text.substr(0, end);
}

std::string_view Utf8Suffix(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t begin = text.size() - max_bytes;
  for (int i = 0; i < 3 && begin < text.size() && IsContinuation(text[begin]); ++i)
    ++begin;
  if (begin < text.size() && IsContinuation(text[begin])) begin = text.size() - max_bytes;
  return text.substr(begin);
}

std::string Excerpt(std::string_view text, size_t max_bytes) {
  max_bytes = std::max<size_t>(max_bytes, 64);
  if (text.size() <= max_bytes) return std::string(text);
  return fmt::format("{}…({} bytes)", Utf8Prefix(text, max_bytes - kMarkerBytes), text.size());
}

std::string BoundMessage(std::string_view message, size_t max_bytes) {
  max_bytes = std::max<size_t>(max_bytes, 128);
  if (message.size() <= max_bytes) return std::string(message);
  const size_t room = max_bytes - kMarkerBytes;
  const std::string_view head = Utf8Prefix(message, room - room / 3);
  const std::string_view tail = Utf8Suffix(message, room / 3);
  return fmt::format("{}…({} bytes cut)…{}", head, message.size() - head.size() - tail.size(),
                     tail);
}

}  // namespace fh
