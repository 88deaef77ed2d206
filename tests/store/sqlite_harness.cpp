#include <gtest/gtest.h>

#include "store/hub.h"
#include "store/storage_harness.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace fh::testing {
namespace {

class SqliteHarnessImpl final : public StorageHarness {
 public:
  SqliteHarnessImpl(int chunk_points, int buffer_points, int log_points) {
    HubConfig config;
    config.storage.chunk_points = chunk_points;
    config.storage.buffer_points = buffer_points;
    config.storage.log_points = log_points;
    Status s = Hub::Init(dir_.path() / "hub", config);
    EXPECT_OK(s);
    Reopen();
  }
  Storage& storage() override { return hub_->storage(); }
  void Reopen() override {
    hub_.reset();
    auto hub = Hub::Open(dir_.path() / "hub");
    ASSERT_OK(hub);
    hub_ = std::move(hub).value();
  }
  std::unique_ptr<Storage> OpenAnother() override {
    auto hub = Hub::Open(dir_.path() / "hub");
    if (!hub.ok()) return nullptr;
    // Keep the hub alive with the storage: hand out a storage that owns it.
    struct Owning final : Storage {
      std::unique_ptr<Hub> hub;
      Storage& s() { return hub->storage(); }
      Status Write(const SampleBatch& b) override { return s().Write(b); }
      Result<std::unique_ptr<SampleWriter>> NewWriter() override { return s().NewWriter(); }
      Result<std::vector<TagInfo>> ListTags() override { return s().ListTags(); }
      Status Scan(const std::string& t, TimeRange r, const ScanFn& f) override {
        return s().Scan(t, r, f);
      }
      Result<std::optional<Sample>> Latest(const std::string& t) override { return s().Latest(t); }
      Result<std::vector<TagBuckets>> Aggregate(const AggregateQuery& q) override {
        return s().Aggregate(q);
      }
      Status Compact() override { return s().Compact(); }
      Result<StorageStats> Stats() override { return s().Stats(); }
      Status DeleteBefore(const std::vector<std::string>& t, TimestampNs before) override {
        return s().DeleteBefore(t, before);
      }
    };
    auto owning = std::make_unique<Owning>();
    owning->hub = std::move(hub).value();
    return owning;
  }

 private:
  TempDir dir_;
  std::unique_ptr<Hub> hub_;
};

}  // namespace

HarnessFactory SqliteHarness(int chunk_points, int buffer_points, int log_points) {
  return {
      "Sqlite_chunk" + std::to_string(chunk_points) + "_buffer" + std::to_string(buffer_points) +
          "_log" + std::to_string(log_points),
      [=] { return std::make_unique<SqliteHarnessImpl>(chunk_points, buffer_points, log_points); }};
}

}  // namespace fh::testing
