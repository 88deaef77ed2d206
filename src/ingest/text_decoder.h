// TextDecoder: turns a ByteSource's bytes, in any text encoding an export comes in, into
// UTF-8, block by block (the whole file is never in memory).
//
// UTF-8 input is validated in place and passed through; UTF-16, GBK, GB18030 and any other
// encoding glibc's iconv knows are converted. A byte order mark is dropped. Invalid input
// is InvalidArgument "NAME: byte offset N: invalid ENCODING sequence", N counted in the
// source's bytes; a character cut short by the end of the input is an error too.
//
// Source offsets: SourceOffset maps a position in the decoded text back to the source.
// It is exact for UTF-8 (any position), and for UTF-16, GBK, GB18030 and the other
// encodings in which a line feed is one code unit of its own (the ASCII-compatible ones)
// at the start of every line, which is where records start. Elsewhere it is the offset of
// the start of the conversion block that holds the position (at most block_bytes before).
//
// A decoder is used by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "ingest/byte_source.h"

namespace fh::ingest {

struct TextDecoderOptions {
  // "auto" (a byte order mark; else UTF-8 if the first 64 KiB are valid UTF-8; else
  // GB18030, a superset of GBK), "utf-8", "utf-16le", "utf-16be", "utf-16" (byte order mark
  // required), "gbk", "gb18030", or any name glibc's iconv knows. Case, '-' and '_' do not
  // matter in the names listed here ("UTF8", "utf_16le").
  std::string encoding = "auto";
  // Bytes read from the source at a time. Default 1 MiB. Tests use a few bytes to cut
  // characters across reads. Must be at least 1.
  size_t block_bytes = 1 << 20;
  // Whether SourceOffset will be asked. When false it returns only block starts and keeps
  // no per-line table (which grows with the text read ahead of the last SourceOffset call).
  bool track_offsets = true;
};

class TextDecoder {
 public:
  // Read needs room for the longest character iconv may emit in one step.
  static constexpr size_t kMinRead = 16;

  // Determines the encoding, which for "auto" reads up to 64 KiB ahead (kept for Read).
  // InvalidArgument for an unknown encoding or "utf-16" without a byte order mark.
  // `display_name` prefixes error messages.
  static Result<std::unique_ptr<TextDecoder>> Open(std::unique_ptr<ByteSource> source,
                                                   std::string display_name,
                                                   const TextDecoderOptions& options);
  ~TextDecoder();
  TextDecoder(const TextDecoder&) = delete;
  TextDecoder& operator=(const TextDecoder&) = delete;

  // Writes the next decoded text into dst[0, n), n >= kMinRead: whole UTF-8 characters
  // only, so every block is valid UTF-8 by itself. Returns how many bytes; 0 at the end.
  // After an error the decoder is failed and returns the same error.
  Result<size_t> Read(char* dst, size_t n);

  // The encoding the input is read in: "utf-8", "utf-16le", "utf-16be", "gbk", "gb18030",
  // or the name given to iconv (lower case).
  std::string_view encoding() const { return encoding_; }
  // With `auto`: how the encoding was told, and how sure that is ("a byte order mark", "the
  // first 64 KiB are valid UTF-8", "GB18030: 3,912 of 3,920 characters (99.8%) ..."); empty
  // when the mapping named the encoding.
  std::string_view detection() const { return detection_; }

  // The source byte offset of decoded position `pos` (bytes of text Read returned before
  // it), as described at the top. Calls must not go backwards: what lies before `pos` is
  // forgotten.
  int64_t SourceOffset(int64_t pos);

 private:
  struct Impl;  // the iconv handle and its input buffer
  TextDecoder(std::unique_ptr<ByteSource> source, std::string display_name,
              const TextDecoderOptions& options);

  Status Start(std::string_view encoding);
  Status StartIconv(const std::string& iconv_name, int line_feed_unit);
  Result<size_t> ReadUtf8(char* dst, size_t n);
  Result<size_t> ReadIconv(char* dst, size_t n);
  void NoteConversion(int64_t in_start, const char* in_begin, const char* in_end, int64_t out_start,
                      const char* out_begin, const char* out_end);
  // The error for an invalid sequence at source byte `offset` on source line `line`,
  // showing the first byte of `bytes` (from there on) and what to do.
  Status InvalidAt(int64_t offset, int64_t line, std::string_view bytes) const;
  static int64_t CountLineFeeds(const char* text, size_t n);
  // Detection's last resort is GB18030: refuses to guess when the start of the file does
  // not read as Chinese text in it (a windows-1252 file would be stored garbled).
  Status CheckLooksLikeGb18030(std::string_view head) const;
  Status TruncatedAt(int64_t offset) const;

  std::unique_ptr<ByteSource> source_;
  std::string name_;
  std::string encoding_;
  size_t block_bytes_;
  bool track_offsets_;
  bool auto_detected_ = false;  // for the hint in an error message
  std::string detection_;
  std::unique_ptr<Impl> iconv_;  // null: UTF-8 in place
  Status failed_;
  bool eof_ = false;

  int64_t source_read_ = 0;  // source bytes read so far, byte order mark included
  int64_t decoded_ = 0;      // decoded bytes returned so far
  int64_t line_feeds_ = 0;   // in them: the line an error is on
  int64_t bom_bytes_ = 0;

  // UTF-8: a character cut by the end of the last block, to go first in the next one.
  char carry_[4] = {};
  size_t carry_size_ = 0;

  // Other encodings: known (decoded position, source offset) pairs, in order. The line
  // feed's code unit: 0 unknown, 1 one byte 0x0A, 2 UTF-16LE, 3 UTF-16BE.
  int line_feed_unit_ = 0;
  std::deque<std::pair<int64_t, int64_t>> checkpoints_;
  std::vector<int64_t> source_line_feeds_;  // scratch of NoteConversion
};

}  // namespace fh::ingest
