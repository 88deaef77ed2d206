// What a hub's books hold (quarantine, batches), read the way a test asserts on them: a
// failed read fails the test and returns nothing.
#pragma once

#include <gtest/gtest.h>

#include <optional>
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

inline std::optional<IngestBatch> BatchIn(Hub& hub, int64_t id) {
  CatalogSession session = hub.OpenCatalog();
  Result<IngestBatch> b = session.catalog().GetBatch(id);
  EXPECT_OK(b);
  return b.ok() ? std::optional<IngestBatch>(*b) : std::nullopt;
}

}  // namespace fh::testing
