// StorageHarness: how the conformance suite gets a back end. Each back end provides a
// factory; the suite (storage_conformance_test.cpp) runs unchanged against all of them.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/storage.h"
#include "testing/status_matchers.h"

namespace fh::testing {

class StorageHarness {
 public:
  virtual ~StorageHarness() = default;
  virtual Storage& storage() = 0;
  // Closes the store and opens it again from what is durable.
  virtual void Reopen() = 0;
  // Opens a second, independent handle on the same store (e.g. in a forked child).
  virtual std::unique_ptr<Storage> OpenAnother() = 0;
};

struct HarnessFactory {
  std::string name;
  std::function<std::unique_ptr<StorageHarness>()> make;
};

// The embedded SQLite back end in a fresh temporary hub. Small chunk and buffer sizes make
// small tests cross chunk boundaries, overlap chunks and trigger compaction; a small
// log_points flushes the write log often, 0 writes without it.
HarnessFactory SqliteHarness(int chunk_points, int buffer_points, int log_points = 1'000'000);
// A database of its own in a real clickhouse-server the test binary starts once.
HarnessFactory ClickHouseHarness();
// The same on two servers, the two shards of one cluster (ReplicatedMergeTree, Distributed).
HarnessFactory ClickHouseClusterHarness();

// Every sample of `tag` in `range`, as Scan gives them; a failed scan fails the test.
inline std::vector<Sample> ReadAll(Storage& storage, const std::string& tag, TimeRange range = {}) {
  std::vector<Sample> out;
  Status s = storage.Scan(tag, range, [&](auto ts, auto values, auto quality) {
    for (size_t i = 0; i < ts.size(); ++i)
      out.push_back({ts[i], values[i], quality[i]});
    return true;
  });
  EXPECT_OK(s);
  return out;
}

}  // namespace fh::testing
