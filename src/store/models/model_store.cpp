#include "store/models/model_store.h"

#include <algorithm>

#include <fmt/format.h>

#include "store/sqlite/db.h"

namespace fh {

namespace {

constexpr const char* kModelColumns =
    "id, name, version, kind, task, stage, spec, features, threshold, report, training_rows, "
    "training_batches, created_at, classes, preprocessing";

StoredModel ReadRow(const sqlite::Stmt& st, bool with_data) {
  StoredModel m;
  m.id = st.Int(0);
  m.name = std::string(st.Text(1));
  m.version = st.Int(2);
  m.kind = std::string(st.Text(3));
  m.task = std::string(st.Text(4));
  m.stage = std::string(st.Text(5));
  m.spec = std::string(st.Text(6));
  m.features_json = std::string(st.Text(7));
  m.threshold = st.OptDouble(8);
  m.report = std::string(st.Text(9));
  m.training_rows = st.Int(10);
  m.training_batches_json = std::string(st.Text(11));
  m.created_at = st.Int(12);
  m.classes_json = std::string(st.Text(13));
  m.preprocessing_json = std::string(st.Text(14));
  if (with_data) m.data = std::string(st.Blob(15));
  return m;
}

}  // namespace

Result<StoredModel> ModelStore::Insert(StoredModel m) {
  FH_ASSIGN_OR_RETURN(sqlite::Transaction tx, sqlite::Transaction::Begin(db_));
  FH_ASSIGN_OR_RETURN(sqlite::Stmt next,
                      db_.Prepare("SELECT ifnull(max(version), 0) + 1 FROM model WHERE name = ?1"));
  next.Bind(1, std::string_view(m.name));
  FH_ASSIGN_OR_RETURN(bool row, next.Step());
  m.version = row ? next.Int(0) : 1;
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_.Prepare("INSERT INTO model(name, version, kind, task, stage, spec, features, threshold, "
                  "report, training_rows, training_batches, data, created_at, classes, "
                  "preprocessing) "
                  "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"));
  st.Bind(1, std::string_view(m.name))
      .Bind(2, m.version)
      .Bind(3, std::string_view(m.kind))
      .Bind(4, std::string_view(m.task))
      .Bind(5, std::string_view(m.stage))
      .Bind(6, std::string_view(m.spec))
      .Bind(7, std::string_view(m.features_json))
      .Bind(8, m.threshold)
      .Bind(9, std::string_view(m.report))
      .Bind(10, m.training_rows)
      .Bind(11, std::string_view(m.training_batches_json))
      .BindBlob(12, std::string_view(m.data))
      .Bind(13, m.created_at)
      .Bind(14, std::string_view(m.classes_json))
      .Bind(15, std::string_view(m.preprocessing_json));
  FH_RETURN_IF_ERROR(
      st.Step().status().WithContext(fmt::format("storing model {}@{}", m.name, m.version)));
  m.id = db_.LastInsertRowId();
  FH_RETURN_IF_ERROR(tx.Commit());
  return m;
}

Result<std::vector<StoredModel>> ModelStore::List(std::string_view name) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st,
                      db_.Prepare(fmt::format("SELECT {} FROM model WHERE ?1 = '' OR name = ?1 "
                                              "ORDER BY name, version DESC",
                                              kModelColumns)));
  st.Bind(1, name);
  std::vector<StoredModel> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadRow(st, false));
  }
  return out;
}

Result<std::optional<StoredModel>> ModelStore::Find(std::string_view name,
                                                    std::optional<int64_t> version) {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_.Prepare(fmt::format("SELECT {}, data FROM model WHERE name = ?1 AND "
                              "(?2 IS NULL OR version = ?2) "
                              "ORDER BY stage = 'production' DESC, version DESC LIMIT 1",
                              kModelColumns)));
  st.Bind(1, name).Bind(2, version);
  FH_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<StoredModel>();
  return std::optional<StoredModel>(ReadRow(st, true));
}

Status ModelStore::Promote(std::string_view name, int64_t id) {
  FH_ASSIGN_OR_RETURN(sqlite::Transaction tx, sqlite::Transaction::Begin(db_));
  FH_ASSIGN_OR_RETURN(sqlite::Stmt archive,
                      db_.Prepare("UPDATE model SET stage = 'archived' "
                                  "WHERE name = ?1 AND stage = 'production'"));
  archive.Bind(1, name);
  FH_RETURN_IF_ERROR(archive.Step().status());
  FH_ASSIGN_OR_RETURN(sqlite::Stmt promote,
                      db_.Prepare("UPDATE model SET stage = 'production' WHERE id = ?1"));
  promote.Bind(1, id);
  FH_RETURN_IF_ERROR(promote.Step().status());
  return tx.Commit();
}

Result<std::vector<int64_t>> ModelStore::BatchesOfTags(const std::vector<std::string>& tags) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st,
                      db_.Prepare("SELECT DISTINCT s.batch_id FROM batch_series s "
                                  "JOIN tag t ON t.id = s.tag_id WHERE t.name = ?1"));
  std::vector<int64_t> out;
  for (const std::string& tag : tags) {
    st.Bind(1, std::string_view(tag));
    while (true) {
      FH_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out.push_back(st.Int(0));
    }
    st.Reset();
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace fh
