#include "ingest/text_decoder.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/ascii.h"
#include "ingest/utf8_validate.h"

namespace fh::ingest {
namespace {

constexpr size_t kEncodingSniffBytes = 64 << 10;
// Room kept before a block for a character the previous block cut short: iconv leaves
// at most a few bytes unconverted (EINVAL), stateful encodings' escapes included.
constexpr size_t kCarryRoom = 64;
const iconv_t kNoIconv = reinterpret_cast<iconv_t>(-1);

// "UTF_16LE" → "utf16le": the spellings people use for the names we know.
std::string Key(std::string_view name) {
  std::string key;
  for (char c : name) {
    if (c == '-' || c == '_') continue;
    key += AsciiLower(c);
  }
  return key;
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kUtf16LeBom = "\xFF\xFE";
constexpr std::string_view kUtf16BeBom = "\xFE\xFF";
constexpr std::string_view kGb18030Bom = "\x84\x31\x95\x33";

// How an encoding writes a line feed, found by asking iconv: one byte 0x0A (1), or a
// 16-bit unit little (2) or big (3) endian; 0 when it is something else.
int LineFeedUnit(const std::string& iconv_name) {
  iconv_t cd = iconv_open(iconv_name.c_str(), "UTF-8");
  if (cd == kNoIconv) return 0;
  char in[] = "\n";
  char out[16];
  char* inp = in;
  char* outp = out;
  size_t in_left = 1, out_left = sizeof out;
  const size_t r = iconv(cd, &inp, &in_left, &outp, &out_left);
  iconv_close(cd);
  const std::string_view encoded(out, outp - out);
  if (r == static_cast<size_t>(-1)) return 0;
  if (encoded == "\n") return 1;
  if (encoded == std::string_view("\n\0", 2)) return 2;
  if (encoded == std::string_view("\0\n", 2)) return 3;
  return 0;
}

}  // namespace

struct TextDecoder::Impl {
  ~Impl() {
    if (cd != kNoIconv) iconv_close(cd);
  }
  iconv_t cd = kNoIconv;
  std::unique_ptr<char[]> in;  // [pos, size) not converted yet
  size_t capacity = 0;
  size_t pos = 0;
  size_t size = 0;
  bool need_more = false;  // what is left is the start of a character
  bool flushed = false;    // the end-of-input reset of a stateful encoding was emitted
  bool at_start = true;    // no text yet, nor a byte order mark: a U+FEFF would be one
};

TextDecoder::TextDecoder(std::unique_ptr<ByteSource> source, std::string display_name,
                         const TextDecoderOptions& options)
    : source_(std::move(source)),
      name_(std::move(display_name)),
      block_bytes_(std::max<size_t>(options.block_bytes, 1)),
      track_offsets_(options.track_offsets) {}

TextDecoder::~TextDecoder() = default;

Result<std::unique_ptr<TextDecoder>> TextDecoder::Open(std::unique_ptr<ByteSource> source,
                                                       std::string display_name,
                                                       const TextDecoderOptions& options) {
  std::unique_ptr<TextDecoder> decoder(
      new TextDecoder(std::move(source), std::move(display_name), options));
  FH_RETURN_IF_ERROR(decoder->Start(options.encoding));
  return decoder;
}

namespace {

// How the start of a file reads as GB18030: characters in GB2312's common range (both
// bytes 0xA1-0xFE, where Chinese text lives), characters outside it (GBK's extensions, the
// 4-byte forms), and whether a byte sequence is invalid. Text in a Western single-byte
// encoding (windows-1252, latin1) read as GB18030 is mostly "rare" pairs or invalid: "ü"
// and the letter after it make one.
struct Gb18030Reading {
  int64_t common = 0;
  int64_t rare = 0;
  bool invalid = false;
};

Gb18030Reading ReadAsGb18030(std::string_view text) {
  Gb18030Reading r;
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  for (size_t i = 0; i < text.size();) {
    const unsigned char lead = byte(i);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    if (lead == 0x80 || lead == 0xFF || i + 1 >= text.size()) {
      r.invalid |= i + 1 < text.size();  // a lead cut by the end of the sniff is no evidence
      break;
    }
    const unsigned char trail = byte(i + 1);
    if (trail >= 0x30 && trail <= 0x39) {  // a 4-byte form
      ++r.rare;
      i += 4;
    } else if ((trail >= 0x40 && trail <= 0x7E) || (trail >= 0x80 && trail <= 0xFE)) {
      if (lead >= 0xA1 && trail >= 0xA1) {
        ++r.common;
      } else {
        ++r.rare;
      }
      i += 2;
    } else {
      r.invalid = true;
      break;
    }
  }
  return r;
}

}  // namespace

Status TextDecoder::CheckLooksLikeGb18030(std::string_view head) const {
  const Gb18030Reading r = ReadAsGb18030(head);
  if (!r.invalid && r.common >= r.rare) return Status::Ok();
  return InvalidArgument(
      "{}: cannot tell the encoding: the start is not UTF-8, and as GB18030 it reads as {}; "
      "text in a Western encoding (windows-1252, latin1: ü, é, ß) looks like that. Name the "
      "encoding in the mapping's source (encoding: windows-1252, latin1, gb18030 ...)",
      name_,
      r.invalid
          ? std::string("invalid bytes")
          : fmt::format("{} rare characters beside {} common Chinese ones", r.rare, r.common));
}

Status TextDecoder::Start(std::string_view encoding) {
  const std::string key = Key(encoding);
  std::string head;
  std::string resolved;                // the key of the encoding to read in
  if (key == "auto" || key.empty()) {  // iconv would take "" as the locale's encoding
    auto_detected_ = true;
    FH_ASSIGN_OR_RETURN(head, ReadUpTo(*source_, kEncodingSniffBytes));
    detection_ = "a byte order mark";
    if (StartsWith(head, kUtf8Bom)) {
      resolved = "utf8";
    } else if (StartsWith(head, kUtf16LeBom)) {
      resolved = "utf16le";
    } else if (StartsWith(head, kUtf16BeBom)) {
      resolved = "utf16be";
    } else if (StartsWith(head, kGb18030Bom)) {
      resolved = "gb18030";
    } else {
      const Utf8Check check = CheckUtf8(head.data(), head.size());
      // A character cut by the end of a full sniff is not evidence against UTF-8.
      const bool utf8 = check.stop == Utf8Check::kEnd || (check.stop == Utf8Check::kIncomplete &&
                                                          head.size() == kEncodingSniffBytes);
      resolved = utf8 ? "utf8" : "gb18030";
      if (!utf8) FH_RETURN_IF_ERROR(CheckLooksLikeGb18030(head));
      const bool whole = head.size() < kEncodingSniffBytes;
      if (utf8) {
        detection_ = whole ? "the whole file is valid UTF-8" : "the first 64 KiB are valid UTF-8";
      } else {
        const Gb18030Reading r = ReadAsGb18030(head);
        const int64_t chars = r.common + r.rare;
        detection_ = fmt::format(
            "not UTF-8; as GB18030, {} of the {} Chinese characters of {} ({:.1f}%) are "
            "common ones",
            r.common, chars, whole ? "the file" : "its first 64 KiB",
            chars ? 100.0 * static_cast<double>(r.common) / static_cast<double>(chars) : 0.0);
      }
    }
  } else if (key == "utf8" || key == "utf16le" || key == "utf16be" || key == "utf16" ||
             key == "gb18030") {
    FH_ASSIGN_OR_RETURN(head, ReadUpTo(*source_, 4));  // room for a byte order mark
    resolved = key;
    if (key == "utf16") {
      if (StartsWith(head, kUtf16LeBom)) {
        resolved = "utf16le";
      } else if (StartsWith(head, kUtf16BeBom)) {
        resolved = "utf16be";
      } else if (!head.empty()) {
        return InvalidArgument(
            "{}: utf-16 text without a byte order mark: name the byte order (utf-16le or "
            "utf-16be)",
            name_);
      }
    }
  } else {
    FH_ASSIGN_OR_RETURN(head, ReadUpTo(*source_, 3));
    resolved = key;
  }
  // A UTF-8 byte order mark says what the text is, whatever the mapping names for the
  // source's usual exports: a quarantine export (UTF-8) re-imported with a GBK mapping.
  if (resolved != "utf8" && StartsWith(head, kUtf8Bom)) resolved = "utf8";

  std::string_view bom;
  if (resolved == "utf8") bom = kUtf8Bom;
  if (resolved == "utf16le") bom = kUtf16LeBom;
  if (resolved == "utf16be") bom = kUtf16BeBom;
  if (resolved == "gb18030") bom = kGb18030Bom;
  if (!bom.empty() && StartsWith(head, bom)) {
    bom_bytes_ = static_cast<int64_t>(bom.size());
    head.erase(0, bom.size());
  }
  source_read_ = bom_bytes_;
  if (!head.empty()) source_ = MakePrefixedSource(std::move(head), std::move(source_));

  if (resolved == "utf8") {
    encoding_ = "utf-8";
    return Status::Ok();
  }
  if (resolved == "utf16le") {
    encoding_ = "utf-16le";
    return StartIconv("UTF-16LE", 2);
  }
  if (resolved == "utf16be") {
    encoding_ = "utf-16be";
    return StartIconv("UTF-16BE", 3);
  }
  if (resolved == "gbk" || resolved == "gb18030") {
    encoding_ = resolved;
    return StartIconv(resolved == "gbk" ? "GBK" : "GB18030", 1);
  }
  encoding_ = AsciiLowered(encoding);
  return StartIconv(std::string(encoding), -1);
}

// line_feed_unit -1: ask iconv.
Status TextDecoder::StartIconv(const std::string& iconv_name, int line_feed_unit) {
  auto impl = std::make_unique<Impl>();
  impl->cd = iconv_open("UTF-8", iconv_name.c_str());
  if (impl->cd == kNoIconv) {
    return InvalidArgument("{}: unknown encoding '{}' (iconv does not know it)", name_, iconv_name);
  }
  impl->at_start = bom_bytes_ == 0;
  impl->capacity = block_bytes_ + kCarryRoom;
  impl->in = std::make_unique_for_overwrite<char[]>(impl->capacity);
  iconv_ = std::move(impl);
  line_feed_unit_ = line_feed_unit >= 0 ? line_feed_unit : LineFeedUnit(iconv_name);
  checkpoints_.emplace_back(0, bom_bytes_);
  return Status::Ok();
}

Result<size_t> TextDecoder::Read(char* dst, size_t n) {
  if (!failed_.ok()) return failed_;
  if (n < kMinRead) return Internal("TextDecoder::Read needs at least {} bytes", kMinRead);
  Result<size_t> got = iconv_ ? ReadIconv(dst, n) : ReadUtf8(dst, n);
  if (!got.ok()) failed_ = got.status();
  return got;
}

Result<size_t> TextDecoder::ReadUtf8(char* dst, size_t n) {
  while (true) {
    const size_t carried = carry_size_;
    std::memcpy(dst, carry_, carried);
    if (eof_) {
      if (carried > 0) return TruncatedAt(source_read_ - static_cast<int64_t>(carried));
      return 0;
    }
    FH_ASSIGN_OR_RETURN(size_t got,
                        source_->Read(dst + carried, std::min(block_bytes_, n - carried)));
    if (got == 0) {
      eof_ = true;
      continue;
    }
    source_read_ += static_cast<int64_t>(got);
    const size_t size = carried + got;
    const Utf8Check check = CheckUtf8(dst, size);
    const int64_t block_offset = source_read_ - static_cast<int64_t>(size);
    if (check.stop == Utf8Check::kInvalid) {
      return InvalidAt(block_offset + static_cast<int64_t>(check.valid),
                       line_feeds_ + CountLineFeeds(dst, check.valid) + 1,
                       std::string_view(dst + check.valid, size - check.valid));
    }
    carry_size_ = size - check.valid;  // < 4: a character cut short
    std::memcpy(carry_, dst + check.valid, carry_size_);
    if (check.valid > 0) {
      decoded_ += static_cast<int64_t>(check.valid);
      line_feeds_ += CountLineFeeds(dst, check.valid);
      return check.valid;
    }
  }
}

Result<size_t> TextDecoder::ReadIconv(char* dst, size_t n) {
  Impl& c = *iconv_;
  // Source offset of c.in[i].
  auto in_offset = [&](size_t i) {
    return source_read_ - static_cast<int64_t>(c.size) + static_cast<int64_t>(i);
  };
  char* out = dst;
  size_t out_left = n;
  while (out == dst) {
    if (c.need_more || c.pos == c.size) {
      if (eof_) {
        if (c.pos < c.size) return TruncatedAt(in_offset(c.pos));
        if (!c.flushed) {  // a stateful encoding may owe a character at the end
          c.flushed = true;
          (void)iconv(c.cd, nullptr, nullptr, &out, &out_left);
          continue;
        }
        break;
      }
      const size_t left = c.size - c.pos;
      std::memmove(c.in.get(), c.in.get() + c.pos, left);
      c.size = left;
      c.pos = 0;
      FH_ASSIGN_OR_RETURN(size_t got, source_->Read(c.in.get() + c.size,
                                                    std::min(block_bytes_, c.capacity - c.size)));
      if (got == 0) eof_ = true;
      source_read_ += static_cast<int64_t>(got);
      c.size += got;
      c.need_more = false;
      continue;
    }
    char* in = c.in.get() + c.pos;
    size_t in_left = c.size - c.pos;
    const int64_t in_start = in_offset(c.pos);
    const char* in_begin = in;
    char* out_begin = out;
    const size_t r = iconv(c.cd, &in, &in_left, &out, &out_left);
    const int err = errno;
    c.pos = static_cast<size_t>(in - c.in.get());
    if (c.at_start && out > out_begin) {
      c.at_start = false;
      // A byte order mark the source-side check did not know (an encoding named to iconv).
      if (std::string_view(out_begin, out - out_begin).starts_with(kUtf8Bom)) {
        std::memmove(out_begin, out_begin + 3, out - out_begin - 3);
        out -= 3;
        out_left += 3;
      }
    }
    NoteConversion(in_start, in_begin, in, decoded_ + (out_begin - dst), out_begin, out);
    if (r == static_cast<size_t>(-1)) {
      if (err == EILSEQ) {
        return InvalidAt(in_offset(c.pos), line_feeds_ + CountLineFeeds(dst, out - dst) + 1,
                         std::string_view(c.in.get() + c.pos, c.size - c.pos));
      }
      if (err == EINVAL) {
        c.need_more = true;
      } else if (err == E2BIG) {
        if (out == dst) return Internal("{}: a character decodes to more than {} bytes", name_, n);
        break;
      } else {
        return Internal("{}: iconv failed: {}", name_, std::strerror(err));
      }
    }
  }
  decoded_ += out - dst;
  line_feeds_ += CountLineFeeds(dst, static_cast<size_t>(out - dst));
  return static_cast<size_t>(out - dst);
}

// Records which source offsets the converted text [out_begin, out_end) came from: its start
// for sure, and the start of each line when the line feeds can be matched up one to one.
void TextDecoder::NoteConversion(int64_t in_start, const char* in_begin, const char* in_end,
                                 int64_t out_start, const char* out_begin, const char* out_end) {
  if (out_end == out_begin && in_end == in_begin) return;
  checkpoints_.emplace_back(out_start, in_start);
  if (!track_offsets_ || line_feed_unit_ == 0) return;
  source_line_feeds_.clear();
  int64_t unit_bytes = 1;
  if (line_feed_unit_ == 1) {
    for (const char* p = in_begin;
         (p = static_cast<const char*>(std::memchr(p, '\n', in_end - p))) != nullptr; ++p) {
      source_line_feeds_.push_back(in_start + (p - in_begin));
    }
  } else {
    unit_bytes = 2;
    const char lf_first = line_feed_unit_ == 2 ? '\n' : '\0';
    const char lf_second = line_feed_unit_ == 2 ? '\0' : '\n';
    for (const char* p = in_begin; p + 1 < in_end; p += 2) {
      if (p[0] == lf_first && p[1] == lf_second)
        source_line_feeds_.push_back(in_start + (p - in_begin));
    }
  }
  if (source_line_feeds_.empty()) return;
  if (static_cast<size_t>(std::count(out_begin, out_end, '\n')) != source_line_feeds_.size()) {
    return;  // not one to one: block starts only
  }
  const char* p = out_begin;
  for (int64_t source_lf : source_line_feeds_) {
    p = static_cast<const char*>(std::memchr(p, '\n', out_end - p));
    ++p;
    checkpoints_.emplace_back(out_start + (p - out_begin), source_lf + unit_bytes);
  }
}

int64_t TextDecoder::SourceOffset(int64_t pos) {
  if (!iconv_) return pos + bom_bytes_;
  while (checkpoints_.size() >= 2 && checkpoints_[1].first <= pos)
    checkpoints_.pop_front();
  return checkpoints_.front().second;
}

int64_t TextDecoder::CountLineFeeds(const char* text, size_t n) {
  int64_t lines = 0;
  for (const char *p = text, *end = text + n;
       (p = static_cast<const char*>(std::memchr(p, '\n', end - p))) != nullptr; ++p) {
    ++lines;
  }
  return lines;
}

Status TextDecoder::InvalidAt(int64_t offset, int64_t line, std::string_view bytes) const {
  const std::string shown = bytes.empty()
                                ? std::string("?")
                                : fmt::format("{:02X}", static_cast<unsigned char>(bytes[0]));
  // What such bytes usually are: an export saved by Excel on Chinese Windows is GB18030
  // (GBK), on Western Windows windows-1252.
  const std::string hint =
      auto_detected_
          ? "the encoding was detected from the first 64 KiB; if that is wrong, name it in the "
            "mapping's source (encoding: gb18030, windows-1252, latin1, utf-16 ...)"
          : fmt::format(
                "the mapping says {}; if the file is another encoding, name it in the "
                "mapping's source (Excel on Chinese Windows writes gb18030, on Western "
                "Windows windows-1252), or leave encoding out to detect it",
                encoding_);
  return InvalidArgument("{}:{}: byte offset {}: invalid {} sequence (byte {}): {}", name_, line,
                         offset, encoding_, shown, hint);
}

Status TextDecoder::TruncatedAt(int64_t offset) const {
  return InvalidArgument("{}: byte offset {}: truncated {} sequence at the end of the input", name_,
                         offset, encoding_);
}

}  // namespace fh::ingest
