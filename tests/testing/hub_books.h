// What a hub's books hold (quarantine, batches), read the way a test asserts on them: a
// failed read fails the test and returns nothing.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "store/catalog/catalog.h"
#include "store/governance/governance_store.h"
#include "store/hub.h"
#include "testing/status_matchers.h"

namespace fh::testing {

inline std::vector<QuarantinedRecord> QuarantinedIn(Hub& hub, QuarantineFilter filter = {}) {
  CatalogSession session = hub.OpenCatalog();
  Result<std::vector<QuarantinedRecord>> q = session.governance().ListQuarantine(filter);
  EXPECT_OK(q);
  return q.ok() ? *q : std::vector<QuarantinedRecord>{};
}

inline std::vector<QuarantinedRecord> QuarantinedOfMapping(Hub& hub, const std::string& mapping) {
  QuarantineFilter filter;
  filter.mapping_name = mapping;
  return QuarantinedIn(hub, filter);
}

// The stored values of `tag`, in time order (none when the tag does not exist).
inline std::vector<double> StoredValues(Hub& hub, const std::string& tag) {
  std::vector<double> out;
  Status s = hub.storage().Scan(tag, {}, [&](auto, std::span<const double> v, auto) {
    out.insert(out.end(), v.begin(), v.end());
    return true;
  });
  if (s.code() != StatusCode::kNotFound) {
    EXPECT_OK(s);
  }
  return out;
}

inline std::optional<IngestBatch> BatchIn(Hub& hub, int64_t id) {
  CatalogSession session = hub.OpenCatalog();
  Result<IngestBatch> b = session.catalog().GetBatch(id);
  EXPECT_OK(b);
  return b.ok() ? std::optional<IngestBatch>(*b) : std::nullopt;
}

}  // namespace fh::testing
