// Where a stored record came from (source system, file, line, mapping version, batch, its ids
// in other systems) and which batches stored a tag's points around a time: one shape for
// `factoryhub lineage --json` and GET /api/v1/lineage.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "store/catalog/catalog.h"
#include "store/catalog_session.h"
#include "store/hub.h"

namespace fh::api {

struct RecordLineage {
  std::string entity, key;
  int64_t id = 0;
  Lineage lineage;
  std::optional<IngestBatch> batch;
  std::vector<ExternalId> external;
};

// The lineage of `entity` `key` (its numeric id when `by_id`, or for entities without a
// readable key). NotFound says where the record is when an import quarantined it (the usual
// reason a record someone expects is missing).
Result<RecordLineage> FindRecordLineage(CatalogSession& session, const std::string& entity,
                                        const std::string& key, bool by_id);
nlohmann::ordered_json RecordLineageJson(const RecordLineage& r);

struct SampleLineage {
  std::string tag;
  int64_t at = 0;
  std::optional<Sample> point;  // the stored point at that time
  std::vector<SeriesLineage> spans;
  std::vector<IngestBatch> batches;  // one per span
};

// The batches whose points of `tag` span `at`, newest first, and the stored point.
Result<SampleLineage> FindSampleLineage(Hub& hub, const std::string& tag, int64_t at);
nlohmann::ordered_json SampleLineageJson(const SampleLineage& s);

}  // namespace fh::api
