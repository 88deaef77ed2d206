#include "store/outbox/outbox_storage.h"

#include <unistd.h>

#include <atomic>
#include <fstream>

#include <fmt/format.h>

#include "common/time.h"
#include "store/outbox/sample_batch_codec.h"

namespace fh::outbox {
namespace storage_detail {

// Calls fn(slice) for consecutive slices of at most kRecordPoints points.
template <typename Fn>
Status ForEachSlice(const SampleBatch& batch, Fn&& fn) {
  if (batch.size() <= kRecordPoints) return fn(batch);
  SampleBatch slice;
  for (size_t start = 0; start < batch.size(); start += kRecordPoints) {
    slice.Clear();
    const size_t end = std::min(batch.size(), start + kRecordPoints);
    for (size_t i = start; i < end; ++i) {
      slice.Add(batch.tag_names()[batch.tag()[i]], batch.ts()[i], batch.value()[i],
                batch.quality()[i]);
    }
    FH_RETURN_IF_ERROR(fn(slice));
  }
  return Status();
}

// What a streaming writer was given, in a file, until the store has committed it.
class SpoolingWriter final : public SampleWriter {
 public:
  SpoolingWriter(std::unique_ptr<SampleWriter> inner, Outbox* outbox, std::filesystem::path spool)
      : inner_(std::move(inner)),
        outbox_(outbox),
        path_(std::move(spool)),
        out_(path_, std::ios::binary | std::ios::trunc) {}
  ~SpoolingWriter() override {
    out_.close();
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }

  Status Append(const SampleBatch& batch) override {
    FH_RETURN_IF_ERROR(inner_->Append(batch));
    return ForEachSlice(batch, [&](const SampleBatch& slice) {
      std::string bytes;
      EncodeSampleBatch(slice, &bytes);
      const uint64_t n = bytes.size();
      const uint32_t points = static_cast<uint32_t>(slice.size());
      out_.write(reinterpret_cast<const char*>(&n), sizeof n);
      out_.write(reinterpret_cast<const char*>(&points), sizeof points);
      out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      if (!out_) return IOError("outbox: cannot spool to {}", path_.string());
      return Status();
    });
  }
  Status Commit() override {
    FH_RETURN_IF_ERROR(inner_->Commit());
    out_.close();
    std::ifstream in(path_, std::ios::binary);
    uint64_t n;
    uint32_t points;
    std::string bytes;
    while (in.read(reinterpret_cast<char*>(&n), sizeof n) &&
           in.read(reinterpret_cast<char*>(&points), sizeof points)) {
      bytes.resize(n);
      if (!in.read(bytes.data(), static_cast<std::streamsize>(n))) break;
      FH_RETURN_IF_ERROR(outbox_->Append(bytes, points, NowNs())
                             .WithContext("the points are stored, but not queued for the "
                                          "central hub"));
    }
    return Status();
  }
  int64_t appended() const override { return inner_->appended(); }

 private:
  std::unique_ptr<SampleWriter> inner_;
  Outbox* outbox_;
  std::filesystem::path path_;
  std::ofstream out_;
};

}  // namespace storage_detail

Status AppendBatch(Outbox& outbox, const SampleBatch& batch) {
  return storage_detail::ForEachSlice(batch, [&](const SampleBatch& slice) {
    std::string bytes;
    EncodeSampleBatch(slice, &bytes);
    return outbox.Append(bytes, static_cast<uint32_t>(slice.size()), NowNs());
  });
}

Status OutboxStorage::Write(const SampleBatch& batch) {
  FH_RETURN_IF_ERROR(inner_->Write(batch));
  if (batch.empty()) return Status();
  return AppendBatch(*outbox_, batch)
      .WithContext("the points are stored, but not queued for the central hub");
}

Result<std::unique_ptr<SampleWriter>> OutboxStorage::NewWriter() {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<SampleWriter> inner, inner_->NewWriter());
  static std::atomic<int> next{0};
  std::error_code ec;
  std::filesystem::create_directories(spool_dir_, ec);
  auto path = spool_dir_ / fmt::format("spool-{}-{}", getpid(), next.fetch_add(1));
  return std::unique_ptr<SampleWriter>(
      new storage_detail::SpoolingWriter(std::move(inner), outbox_.get(), std::move(path)));
}

}  // namespace fh::outbox
