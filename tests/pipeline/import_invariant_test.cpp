// The bookkeeping every import must keep, on random files full of what real exports hold
// (repeats, conflicting repeats, bad values, empty cells): read = accepted + quarantined +
// duplicates, and the store holds exactly what was accepted — every accepted sample, with
// the first row's value where a later one conflicted, and nothing else. A model of the
// documented rules computes what that is, row by row.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <random>

#include "govern/mapping.h"
#include "pipeline/import_job.h"
#include "store/records/record_query.h"
#include "store/storage.h"
#include "testing/hub_test.h"

namespace fh::pipeline {
namespace {

class ImportInvariantTest : public testing::HubTest {
 protected:
  ImportReport Import(const std::string& mapping_text, const std::string& csv_text) {
    const std::string csv = (tmp_.path() / "in.csv").string();
    std::ofstream(csv, std::ios::binary) << csv_text;
    Result<govern::Mapping> m = govern::ParseMapping(mapping_text, "m.yaml");
    EXPECT_OK(m);
    Result<ImportReport> r = ImportFile(*hub_, *m, csv, {});
    EXPECT_OK(r);
    EXPECT_EQ(r->read, r->accepted + r->quarantined + r->duplicates + r->stale);
    return *r;
  }

  // Every stored point of tags A, B and C: (tag, minute) -> value.
  std::map<std::pair<std::string, int>, double> StoredByMinute() {
    std::map<std::pair<std::string, int>, double> out;
    for (const char* tag : {"A", "B", "C"}) {
      (void)hub_->storage().Scan(
          tag, TimeRange{},
          [&](std::span<const TimestampNs> ts, std::span<const double> value,
              std::span<const uint32_t>) {
            for (size_t i = 0; i < ts.size(); ++i)
              out[{tag, static_cast<int>(ts[i] / 60'000'000'000)}] = value[i];
            return true;
          });
    }
    return out;
  }
};

TEST_F(ImportInvariantTest, SamplesStoreExactlyWhatWasAccepted) {
  std::mt19937 rng(20261203);
  for (int round = 0; round < 20; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    // What the store must hold after this round's import: (tag, minute) -> value.
    // The store before the round: earlier rounds' points stay.
    std::map<std::pair<std::string, int>, double> stored = StoredByMinute();
    std::map<std::pair<std::string, int>, double> batch;  // first value per key, this file
    int64_t accepted = 0, quarantined = 0, duplicates = 0;
    std::string csv = "minute,tag,value\n";
    const int rows = 1 + static_cast<int>(rng() % 60);
    for (int i = 0; i < rows; ++i) {
      const int minute = static_cast<int>(rng() % 20);
      const std::string tag = std::string(1, static_cast<char>('A' + rng() % 3));
      const int kind = static_cast<int>(rng() % 10);
      std::string value_text;
      double value = static_cast<double>(rng() % 4);
      if (kind == 0) {
        value_text = "n/a";  // not a number: quarantined
      } else if (kind == 1) {
        value_text = "";  // no value: nothing to store, quarantined
      } else {
        value_text = std::to_string(static_cast<int>(value));
      }
      csv += std::to_string(minute) + "," + tag + "," + value_text + "\n";
      const auto key = std::make_pair(tag, minute);
      if (kind <= 1) {
        ++quarantined;
      } else if (const auto it = batch.find(key); it != batch.end()) {
        if (it->second == value) {
          ++duplicates;  // the same sample again
        } else {
          ++quarantined;  // a conflict: the first is kept
        }
      } else {
        batch[key] = value;
        const auto in_store = stored.find(key);
        if (in_store != stored.end() && in_store->second == value) {
          ++duplicates;  // stored exactly so by an earlier round
        } else {
          ++accepted;
          stored[key] = value;
        }
      }
    }
    const ImportReport r = Import(
        "mapping: random-samples\nsource: { system: s }\nentity: samples\nsamples:\n"
        "  timestamp: { expr: \"minute * 60\", format: epoch_s }\n"
        "  signals:\n    - { tag: \"{tag}\", value: value }\n",
        csv);
    EXPECT_EQ(r.accepted, accepted) << csv;
    EXPECT_EQ(r.quarantined, quarantined) << csv;
    EXPECT_EQ(r.duplicates, duplicates) << csv;
    const std::map<std::pair<std::string, int>, double> got = StoredByMinute();
    EXPECT_EQ(got, stored) << csv;
  }
}

TEST_F(ImportInvariantTest, EntitiesStoreTheFirstOfConflictingRecords) {
  std::mt19937 rng(3122026);
  for (int round = 0; round < 20; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    std::map<std::string, std::string> batch;  // code -> name, this file
    int64_t accepted = 0, quarantined = 0, duplicates = 0;
    std::string csv = "code,name\n";
    const int rows = 1 + static_cast<int>(rng() % 40);
    // What the store holds before: read back through `records`.
    std::map<std::string, std::string> stored;
    {
      Result<std::vector<StoredRecord>> before =
          hub_->OpenCatalog().records().Find(*govern::FindEntity("material"), {}, 1000);
      ASSERT_OK(before);
      for (const StoredRecord& s : *before)
        stored[s.key] = s.fields[1].second.value_or("");
    }
    for (int i = 0; i < rows; ++i) {
      const std::string code = "M-" + std::to_string(rng() % 15);
      const int kind = static_cast<int>(rng() % 8);
      const std::string name = kind == 0 ? "" : "name-" + std::to_string(rng() % 3);
      csv += code + "," + name + "\n";
      if (kind == 0) {
        ++quarantined;  // name is required
      } else if (const auto it = batch.find(code); it != batch.end()) {
        (it->second == name ? duplicates : quarantined) += 1;
      } else {
        batch[code] = name;
        const auto in_store = stored.find(code);
        if (in_store != stored.end() && in_store->second == name) {
          ++duplicates;
        } else {
          ++accepted;
          stored[code] = name;
        }
      }
    }
    const ImportReport r = Import(
        "mapping: random-materials\nsource: { system: erp }\nentity: material\n"
        "fields: { code: code, name: name, kind: { value: raw } }\n",
        csv);
    EXPECT_EQ(r.accepted, accepted) << csv;
    EXPECT_EQ(r.quarantined, quarantined) << csv;
    EXPECT_EQ(r.duplicates, duplicates) << csv;
    Result<std::vector<StoredRecord>> after =
        hub_->OpenCatalog().records().Find(*govern::FindEntity("material"), {}, 1000);
    ASSERT_OK(after);
    std::map<std::string, std::string> got;
    for (const StoredRecord& s : *after)
      got[s.key] = s.fields[1].second.value_or("");
    EXPECT_EQ(got, stored) << csv;
  }
  // Replaying the quarantine through a mapping that names the unnamed keeps the books too:
  // every open entry is read once, and what still fails is exactly what stays open.
  Result<govern::Mapping> fixed = govern::ParseMapping(
      "mapping: random-materials\nsource: { system: erp }\nentity: material\n"
      "fields: { code: code, name: { from: name, default: unnamed }, kind: { value: raw } }\n",
      "m.yaml");
  ASSERT_OK(fixed);
  QuarantineFilter open;
  open.mapping_name = "random-materials";
  Result<int64_t> before = hub_->OpenCatalog().governance().CountQuarantine(open);
  ASSERT_OK(before);
  ASSERT_GT(*before, 0);
  Result<ImportReport> replay = ReplayQuarantine(*hub_, *fixed, {});
  ASSERT_OK(replay);
  EXPECT_EQ(replay->read, *before);
  EXPECT_EQ(replay->read,
            replay->accepted + replay->quarantined + replay->duplicates + replay->stale);
  Result<int64_t> after = hub_->OpenCatalog().governance().CountQuarantine(open);
  ASSERT_OK(after);
  EXPECT_EQ(*after, replay->quarantined);
  EXPECT_LT(*after, *before);
}

}  // namespace
}  // namespace fh::pipeline
