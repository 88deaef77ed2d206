#include "ingest/byte_source.h"
#include "testing/status_matchers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace fh::ingest {
namespace {

// At most `chunk` bytes per read, as a pipe may give.
class ChunkSource final : public ByteSource {
 public:
  ChunkSource(std::string data, size_t chunk) : data_(std::move(data)), chunk_(chunk) {}
  Result<size_t> Read(char* dst, size_t n) override {
    n = std::min({n, chunk_, data_.size() - pos_});
    data_.copy(dst, n, pos_);
    pos_ += n;
    return n;
  }

 private:
  std::string data_;
  size_t chunk_;
  size_t pos_ = 0;
};

std::string Drain(ByteSource& source, size_t read_size) {
  std::string out;
  std::string buf(read_size, '\0');
  while (true) {
    Result<size_t> got = source.Read(buf.data(), buf.size());
    EXPECT_OK(got);
    if (!got.ok() || *got == 0) return out;
    out.append(buf.data(), *got);
  }
}

TEST(ByteSourceTest, ReadUpToGathersShortReads) {
  ChunkSource source("abcdefghij", 3);
  Result<std::string> head = ReadUpTo(source, 7);
  ASSERT_OK(head);
  EXPECT_EQ(*head, "abcdefg");
  Result<std::string> rest = ReadUpTo(source, 100);
  ASSERT_OK(rest);
  EXPECT_EQ(*rest, "hij");  // the end comes first
}

TEST(ByteSourceTest, PrefixedSourceReplaysThenContinues) {
  for (size_t read_size : {size_t{1}, size_t{2}, size_t{5}, size_t{100}}) {
    SCOPED_TRACE("read size " + std::to_string(read_size));
    auto inner = std::make_unique<ChunkSource>("abcdefghij", 4);
    Result<std::string> head = ReadUpTo(*inner, 6);
    ASSERT_OK(head);
    std::unique_ptr<ByteSource> source = MakePrefixedSource(*head, std::move(inner));
    EXPECT_EQ(Drain(*source, read_size), "abcdefghij");
  }
  auto empty = MakePrefixedSource("", MakeBufferSource("xy"));
  EXPECT_EQ(Drain(*empty, 8), "xy");
}

}  // namespace
}  // namespace fh::ingest
