// Bounded echoes of untrusted text. An error message or a quarantine entry that repeats a
// value as received would let one 10 MB field cost 10 MB in every message, log line, HTTP
// answer and row that names it; these keep the start of the text and say how much there was.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fh {

// How much of a value a message quotes.
inline constexpr size_t kExcerptBytes = 200;
// How long a message that quotes values may grow before its middle is cut.
inline constexpr size_t kMessageBytes = 1024;

// `text` if it has at most `max_bytes` bytes, else its first bytes (never cutting a UTF-8
// sequence) followed by "…(N bytes)", N being the size of the whole text. The result has
// at most `max_bytes` bytes (at least 64), so excerpting an excerpt changes nothing.
std::string Excerpt(std::string_view text, size_t max_bytes = kExcerptBytes);

// A message built around values (e.g. "'<value>' is not a number"): itself if it has at most
// `max_bytes` bytes, else its start and its end around "…(N bytes cut)…", so that both the
// quoted value's start and what the message says about it survive. At most `max_bytes`
// bytes (at least 128).
std::string BoundMessage(std::string_view message, size_t max_bytes = kMessageBytes);

// The longest prefix of `text` with at most `max_bytes` bytes that does not end inside a
// UTF-8 sequence (bytes that are not UTF-8 are cut anywhere).
std::string_view Utf8Prefix(std::string_view text, size_t max_bytes);
// The same for a suffix: it does not start on a UTF-8 continuation byte.
std::string_view Utf8Suffix(std::string_view text, size_t max_bytes);

}  // namespace fh
