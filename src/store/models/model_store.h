// ModelStore: the hub's table of trained models (migration 0005), one row per version of a
// name. Rows as stored: what the columns mean (a task, a feature list) is ml/'s to decide,
// so structured columns travel as the text they are stored as (JSON).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace fh {

namespace sqlite {
class Db;
}

struct StoredModel {
  int64_t id = 0;
  std::string name;
  int64_t version = 0;
  std::string kind;
  std::string task;
  std::string stage;
  std::string spec;
  std::string features_json;
  std::optional<double> threshold;
  std::string report;
  int64_t training_rows = 0;
  std::string training_batches_json;
  std::string classes_json;
  std::string preprocessing_json;  // '' for none (migration 0029)
  std::string data;                // empty in listings
  int64_t created_at = 0;
};

class ModelStore {
 public:
  explicit ModelStore(sqlite::Db& db) : db_(db) {}

  // Stores `m` as the name's next version (1 for a new name) in one transaction, so that
  // two trainings of a name at once get versions n and n + 1; returns it with its id and
  // version set.
  Result<StoredModel> Insert(StoredModel m);
  // Every version of every model (or of `name`), without their data: by name, newest first.
  Result<std::vector<StoredModel>> List(std::string_view name);
  // A version with its data; without one, the production version, else the newest.
  // nullopt when there is none.
  Result<std::optional<StoredModel>> Find(std::string_view name, std::optional<int64_t> version);
  // Makes row `id` the production version of `name`; the previous one is archived.
  Status Promote(std::string_view name, int64_t id);
  // The ingest batches that stored points of these tags (series lineage), sorted.
  Result<std::vector<int64_t>> BatchesOfTags(const std::vector<std::string>& tags);

 private:
  sqlite::Db& db_;
};

}  // namespace fh
