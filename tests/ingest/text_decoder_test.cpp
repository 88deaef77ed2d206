#include "ingest/text_decoder.h"
#include "testing/encode.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <iconv.h>

#include <string>
#include <vector>

#include "ingest/utf8_validate.h"
#include "testing/status_matchers.h"

namespace fh::ingest {
namespace {

using ::testing::HasSubstr;

// Every case runs with these source block sizes, so that characters and byte order marks
// split anywhere.
constexpr size_t kDecoderBlockSizes[] = {1, 2, 3, 5, 7, 64, 1 << 20};

using fh::testing::Encode;

struct Decoded {
  std::string text;
  std::string encoding;
};

// Reads everything, checking that each block is valid UTF-8 on its own.
Result<Decoded> DecodeAll(std::string_view bytes, const std::string& encoding, size_t block,
                          size_t read_size = TextDecoder::kMinRead) {
  TextDecoderOptions options;
  options.encoding = encoding;
  options.block_bytes = block;
  FH_ASSIGN_OR_RETURN(std::unique_ptr<TextDecoder> decoder,
                      TextDecoder::Open(MakeBufferSource(bytes), "in.csv", options));
  Decoded out;
  out.encoding = std::string(decoder->encoding());
  std::string buf(read_size, '\0');
  while (true) {
    FH_ASSIGN_OR_RETURN(size_t got, decoder->Read(buf.data(), buf.size()));
    if (got == 0) break;
    EXPECT_EQ(CheckUtf8(buf.data(), got).stop, Utf8Check::kEnd) << "block cuts a character";
    out.text.append(buf.data(), got);
  }
  return out;
}

struct DecodeCase {
  std::string name;
  std::string bytes;
  std::string encoding;
  std::string expected_text;
  std::string expected_encoding;
};

TEST(TextDecoderTest, Decodes) {
  const std::string zh = "设备,温度\n泵1,71.5\n";
  const std::string emoji = "ok 😀\n";
  const DecodeCase cases[] = {
      {"ascii, auto", "a,b\n1,2\n", "auto", "a,b\n1,2\n", "utf-8"},
      {"empty, auto", "", "auto", "", "utf-8"},
      {"utf-8 bom dropped",
       "\xEF\xBB\xBF"
       "a,b\n",
       "auto", "a,b\n", "utf-8"},
      {"utf-8 chinese, auto", zh, "auto", zh, "utf-8"},
      {"utf-8 named, spelled oddly", zh, "UTF_8", zh, "utf-8"},
      {"utf-16le bom, auto", "\xFF\xFE" + Encode(zh + emoji, "UTF-16LE"), "auto", zh + emoji,
       "utf-16le"},
      {"utf-16be bom, auto", "\xFE\xFF" + Encode(zh, "UTF-16BE"), "auto", zh, "utf-16be"},
      {"utf-16 with le bom", "\xFF\xFE" + Encode(zh, "UTF-16LE"), "utf-16", zh, "utf-16le"},
      {"utf-16le named, bom dropped", "\xFF\xFE" + Encode(zh, "UTF-16LE"), "utf-16le", zh,
       "utf-16le"},
      {"utf-16be named, no bom", Encode(zh, "UTF-16BE"), "utf-16be", zh, "utf-16be"},
      {"gbk named", Encode(zh, "GBK"), "gbk", zh, "gbk"},
      {"gbk bytes, auto is gb18030", Encode(zh, "GBK"), "auto", zh, "gb18030"},
      {"gb18030 four-byte sequences", Encode(zh + emoji, "GB18030"), "gb18030", zh + emoji,
       "gb18030"},
      {"any iconv name", "caf\xE9\n", "ISO-8859-1", "café\n", "iso-8859-1"},
      // A quarantine export (UTF-8, with its mark) re-imported with the source's GBK mapping.
      {"utf-8 bom beats a named gbk", "\xEF\xBB\xBF" + zh, "gbk", zh, "utf-8"},
      {"utf-8 bom beats any iconv name",
       "\xEF\xBB\xBF"
       "caf\xC3\xA9\n",
       "windows-1252", "café\n", "utf-8"},
  };
  for (const DecodeCase& c : cases) {
    for (size_t block : kDecoderBlockSizes) {
      SCOPED_TRACE(c.name + ", block " + std::to_string(block));
      Result<Decoded> got = DecodeAll(c.bytes, c.encoding, block);
      ASSERT_OK(got);
      EXPECT_EQ(got->text, c.expected_text);
      EXPECT_EQ(got->encoding, c.expected_encoding);
    }
  }
}

// With `auto`, the decoder says how it told the encoding, and how sure that is: the import
// report shows it beside the encoding.
TEST(TextDecoderTest, SaysHowAnAutoEncodingWasTold) {
  const auto detection = [](std::string_view bytes, const std::string& encoding) {
    TextDecoderOptions options;
    options.encoding = encoding;
    Result<std::unique_ptr<TextDecoder>> d =
        TextDecoder::Open(MakeBufferSource(bytes), "in.csv", options);
    EXPECT_OK(d);
    return d.ok() ? std::string((*d)->detection()) : std::string();
  };
  const std::string zh = "设备,温度,说明\n泵一号,71.5,正常运行\n";
  EXPECT_EQ(detection(zh, "auto"), "the whole file is valid UTF-8");
  EXPECT_EQ(detection("\xEF\xBB\xBF" + zh, "auto"), "a byte order mark");
  EXPECT_EQ(detection(Encode(zh, "GB18030"), "auto"),
            "not UTF-8; as GB18030, 13 of the 13 Chinese characters of the file (100.0%) are "
            "common ones");
  EXPECT_EQ(detection(Encode(zh, "GB18030"), "gb18030"), "");  // named: nothing to tell
}

struct DecodeErrorCase {
  std::string name;
  std::string bytes;
  std::string encoding;
  std::string message;  // a part of the error message
};

TEST(TextDecoderTest, RejectsBadInput) {
  const DecodeErrorCase cases[] = {
      {"invalid utf-8",
       "ab\xFF"
       "cd",
       "utf-8", "in.csv:1: byte offset 2: invalid utf-8 sequence (byte FF)"},
      {"invalid utf-8 on line 3", "a\nb\nc\xFF", "utf-8",
       "in.csv:3: byte offset 5: invalid utf-8 sequence (byte FF): the mapping says utf-8; if "
       "the file is another encoding, name it"},
      {"invalid gb18030 on line 2", "a\n\x81\x20", "gb18030",
       "in.csv:2: byte offset 2: invalid gb18030 sequence (byte 81)"},
      {"invalid utf-8 after a bom",
       "\xEF\xBB\xBF"
       "ab\xC3\x28",
       "utf-8", "byte offset 5: invalid utf-8 sequence"},
      {"overlong utf-8", "a\xC0\xAF", "utf-8", "byte offset 1: invalid utf-8"},
      {"utf-8 surrogate", "a\xED\xA0\x80", "utf-8", "byte offset 1: invalid utf-8"},
      // Issue 14: a windows-1252 (or latin1) file is not UTF-8; read as GB18030 "ü" and the
      // letter after it are one rare character: not Chinese text. Refused, not garbled.
      {"windows-1252 refuses auto",
       "name,city\nM\xFCller,K\xF6ln\nGarc\xED"
       "a,M\xE1laga\n",
       "auto", "cannot tell the encoding: the start is not UTF-8, and as GB18030 it reads as"},
      {"windows-1252 invalid as gb18030", "name\nJos\xE9,\n", "auto",
       "as GB18030 it reads as invalid bytes"},
      {"invalid utf-8 past the sniffed 64 KiB", std::string(70000, 'a') + "\xFF", "auto",
       "byte offset 70000: invalid utf-8 sequence"},
      {"utf-8 cut at the end", "ab\xE6\xB8", "utf-8",
       "byte offset 2: truncated utf-8 sequence at the end of the input"},
      {"gbk cut at the end", "a,\xC9", "gbk", "byte offset 2: truncated gbk sequence"},
      {"invalid gb18030", "ab\x81\x20", "gb18030", "byte offset 2: invalid gb18030 sequence"},
      {"utf-16le odd length",
       std::string("\xFF\xFE"
                   "a\0b",
                   5),
       "auto", "byte offset 4: truncated utf-16le"},
      {"utf-16le lone surrogate", std::string("a\0\x00\xD8z\0", 6), "utf-16le",
       "byte offset 2: invalid utf-16le sequence"},
      {"utf-16 without bom", std::string("a\0", 2), "utf-16", "without a byte order mark"},
      {"unknown encoding", "a", "no-such-encoding", "unknown encoding 'no-such-encoding'"},
  };
  for (const DecodeErrorCase& c : cases) {
    for (size_t block : kDecoderBlockSizes) {
      SCOPED_TRACE(c.name + ", block " + std::to_string(block));
      Result<Decoded> got = DecodeAll(c.bytes, c.encoding, block);
      ASSERT_FALSE(got.ok());
      EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
      EXPECT_THAT(got.status().message(), HasSubstr(c.message));
    }
  }
}

TEST(TextDecoderTest, ErrorSticks) {
  TextDecoderOptions options;
  options.encoding = "utf-8";
  auto decoder = TextDecoder::Open(MakeBufferSource("\xFF"), "x", options);
  ASSERT_OK(decoder);
  char buf[32];
  Result<size_t> first = (*decoder)->Read(buf, sizeof buf);
  ASSERT_FALSE(first.ok());
  Result<size_t> second = (*decoder)->Read(buf, sizeof buf);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().message(), first.status().message());
}

TEST(TextDecoderTest, AutoKeepsUtf8WhenTheSniffCutsACharacter) {
  // "温" takes bytes 65535..65537: the 64 KiB sniff ends inside it.
  const std::string text = std::string(65535, 'a') + "温度\n";
  Result<Decoded> got = DecodeAll(text, "auto", 1 << 20);
  ASSERT_OK(got);
  EXPECT_EQ(got->encoding, "utf-8");
  EXPECT_EQ(got->text, text);
}

TEST(TextDecoderTest, AutoFallsBackToGb18030) {
  const std::string text = std::string(65534, 'a') + "温度\n";
  Result<Decoded> got = DecodeAll(Encode(text, "GB18030"), "auto", 4096);
  ASSERT_OK(got);
  EXPECT_EQ(got->encoding, "gb18030");
  EXPECT_EQ(got->text, text);
}

// Decodes everything, then maps the start of each decoded line back to the source.
std::vector<int64_t> LineStartOffsets(const std::string& bytes, const std::string& encoding,
                                      size_t block) {
  TextDecoderOptions options;
  options.encoding = encoding;
  options.block_bytes = block;
  auto decoder = TextDecoder::Open(MakeBufferSource(bytes), "x", options);
  EXPECT_OK(decoder);
  if (!decoder.ok()) return {};
  std::string text;
  char buf[64];
  while (true) {
    Result<size_t> got = (*decoder)->Read(buf, sizeof buf);
    EXPECT_OK(got);
    if (!got.ok() || *got == 0) break;
    text.append(buf, *got);
  }
  std::vector<int64_t> offsets{(*decoder)->SourceOffset(0)};
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] == '\n') offsets.push_back((*decoder)->SourceOffset(static_cast<int64_t>(i + 1)));
  }
  return offsets;
}

TEST(TextDecoderTest, SourceOffsetsOfLineStartsAreExact) {
  const std::string lines[] = {"设备,温度\n", "a,1\n", "泵😀,2\n", "end\n"};
  struct Case {
    std::string encoding;
    const char* iconv_name;
    std::string bom;
  };
  const Case cases[] = {{"utf-8", "UTF-8", "\xEF\xBB\xBF"},
                        {"auto", "UTF-16LE", "\xFF\xFE"},
                        {"utf-16be", "UTF-16BE", ""},
                        {"gbk", "GB18030", ""},  // no 4-byte characters in GBK: see below
                        {"gb18030", "GB18030", ""}};
  for (const Case& c : cases) {
    std::string bytes = c.bom;
    std::vector<int64_t> expected;
    for (const std::string& line : lines) {
      if (c.encoding == "gbk" && line.find("😀") != std::string::npos) continue;
      expected.push_back(static_cast<int64_t>(bytes.size()));
      bytes += Encode(line, c.iconv_name);
    }
    for (size_t block : kDecoderBlockSizes) {
      SCOPED_TRACE(c.encoding + ", block " + std::to_string(block));
      EXPECT_EQ(LineStartOffsets(bytes, c.encoding, block), expected);
    }
  }
}

}  // namespace
}  // namespace fh::ingest
