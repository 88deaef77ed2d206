// The public data sets through their example mappings (examples/ai4i2020, examples/cmapss):
// every row stored, values converted, labels kept apart.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "govern/mapping.h"
#include "pipeline/import_job.h"
#include "store/hub.h"
#include "store/storage.h"
#include "testing/hub_test.h"
#include "testing/source_dir.h"

namespace fh::pipeline {
namespace {

namespace fs = std::filesystem;

using fh::testing::DataDir;
using fh::testing::SourceDir;

// Sum and count of a tag's values over all time.
std::pair<double, int64_t> SumAndCount(Storage& storage, const std::string& tag) {
  double sum = 0;
  int64_t n = 0;
  Status s = storage.Scan(tag, TimeRange{}, [&](auto, std::span<const double> v, auto) {
    for (double x : v)
      sum += x;
    n += static_cast<int64_t>(v.size());
    return true;
  });
  EXPECT_OK(s) << tag << ": " << s.ToString();
  return {sum, n};
}

class ExamplesTest : public testing::HubTest {
 protected:
  ImportReport Import(const std::string& mapping, const fs::path& data) {
    Result<govern::Mapping> m = govern::LoadMapping((SourceDir() / mapping).string());
    EXPECT_OK(m);
    if (!m.ok()) return {};
    Result<ImportReport> r = ImportFile(*hub_, *m, data.string(), {});
    EXPECT_OK(r);
    return r.ok() ? *r : ImportReport{};
  }
};

TEST_F(ExamplesTest, Ai4i2020EveryRowWithLabelsApart) {
  const fs::path data = DataDir() / "datasets" / "ai4i2020" / "ai4i2020.csv";
  ASSERT_TRUE(fs::exists(data)) << data;
  const ImportReport r = Import("examples/ai4i2020/process.yaml", data);
  EXPECT_EQ(r.read, 10000);
  EXPECT_EQ(r.accepted, 10000);
  EXPECT_EQ(r.quarantined, 0);
  EXPECT_EQ(r.samples, 120000);
  // 339 machine failures in the data set (its documentation says 3.39%).
  const auto [failures, n] = SumAndCount(hub_->storage(), "ai4i/mill-01/label/machine_failure");
  EXPECT_EQ(n, 10000);
  EXPECT_EQ(failures, 339);
  // Row 1: air temperature 298.1 K = 24.95 °C, rounded to the export's two decimals.
  Result<std::optional<Sample>> first = [&]() -> Result<std::optional<Sample>> {
    std::optional<Sample> s;
    FH_RETURN_IF_ERROR(
        hub_->storage().Scan("ai4i/mill-01/air_temperature_C", TimeRange{},
                             [&](std::span<const TimestampNs> ts, std::span<const double> v, auto) {
                               s = Sample{ts[0], v[0]};
                               return false;
                             }));
    return s;
  }();
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->value, 24.95);
  EXPECT_EQ((*first)->ts, (1767225600LL + 60) * 1'000'000'000LL);
  // Product variants L/M/H as 0/1/2.
  const auto [variants, m] = SumAndCount(hub_->storage(), "ai4i/mill-01/product_variant");
  EXPECT_EQ(m, 10000);
  EXPECT_GT(variants, 0);
  // Re-import: all duplicates.
  const ImportReport again = Import("examples/ai4i2020/process.yaml", data);
  EXPECT_EQ(again.accepted, 0);
  EXPECT_EQ(again.duplicates, 10000);
}

}  // namespace
}  // namespace fh::pipeline

namespace fh::pipeline {
namespace {

TEST_F(ExamplesTest, CmapssFd001SpaceSeparatedPerEngine) {
  const fs::path dir = DataDir() / "datasets" / "cmapss-fd001";
  ASSERT_TRUE(fs::exists(dir / "train_FD001.txt")) << dir;
  const ImportReport train = Import("examples/cmapss/train.yaml", dir / "train_FD001.txt");
  EXPECT_EQ(train.read, 20631);
  EXPECT_EQ(train.accepted, 20631);
  EXPECT_EQ(train.samples, 20631 * 24);
  const ImportReport test = Import("examples/cmapss/test.yaml", dir / "test_FD001.txt");
  EXPECT_EQ(test.read, 13096);
  EXPECT_EQ(test.accepted, 13096);
  // Engine 1 of the training set runs 192 cycles; its first T24 reading is 641.82 °R.
  const std::string tag = "cmapss/fd001/train/engine-1/s02_T24_lpc_outlet_temp_R";
  const auto [sum, n] = SumAndCount(hub_->storage(), tag);
  EXPECT_EQ(n, 192);
  EXPECT_GT(sum / n, 640);
  EXPECT_LT(sum / n, 645);
  std::optional<Sample> first;
  ASSERT_TRUE(hub_->storage()
                  .Scan(tag, TimeRange{},
                        [&](std::span<const TimestampNs> ts, std::span<const double> v, auto) {
                          first = Sample{ts[0], v[0]};
                          return false;
                        })
                  .ok());
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->value, 641.82);
  EXPECT_EQ(first->ts, (1767225600LL + 3600) * 1'000'000'000LL);
  Result<std::vector<TagInfo>> tags = hub_->storage().ListTags();
  ASSERT_OK(tags);
  EXPECT_EQ(tags->size(), (100u + 100u) * 24u);  // 100 engines in each part
}

}  // namespace
}  // namespace fh::pipeline
