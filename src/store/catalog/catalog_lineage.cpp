// Catalog: lineage lookup and ingest batches.
#include "store/catalog/catalog.h"
#include "store/catalog/catalog_internal.h"

namespace fh {

using namespace catalog_internal;

namespace {

#define BATCH_COLUMNS                                                                    \
  "id, source_system, source_object, mapping_version, status, started_at, finished_at, " \
  "records_read, accepted, quarantined, duplicates, message, stale"

Result<IngestBatch> ReadBatch(Row& r) {
  IngestBatch b;
  b.id = r.Int();
  b.source_system = r.Text();
  b.source_object = r.Text();
  b.mapping_version = r.OptText().value_or("");
  FH_ASSIGN_OR_RETURN(b.status, ReadEnum(r, ParseIngestBatchStatus));
  b.started_at = r.Int();
  b.finished_at = r.OptInt();
  b.records_read = r.Int();
  b.accepted = r.Int();
  b.quarantined = r.Int();
  b.duplicates = r.Int();
  b.message = r.OptText();
  b.stale = r.Int();
  return b;
}

Result<Lineage> ReadLineageRow(Row& r) {
  return r.ReadLineage();
}

std::optional<std::string> NullIfEmpty(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

}  // namespace

Result<Lineage> Catalog::GetLineage(EntityKind entity, int64_t id) {
  // The table name comes from the EntityKind table, never from user text.
  FH_ASSIGN_OR_RETURN(ScopedStmt st,
                      Statement(fmt::format("SELECT " FH_LINEAGE_COLUMNS " FROM {} WHERE id = ?",
                                            ToString(entity))));
  BindAll(*st, id);
  return ReadOne(*st, ReadLineageRow, fmt::format("{} id {}", ToString(entity), id));
}

Result<int64_t> Catalog::BeginBatch(const IngestBatch& b) {
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement("INSERT INTO ingest_batch(source_system, source_object, mapping_version, "
                "status, started_at) VALUES(?, ?, ?, 'running', ?) RETURNING id"));
  BindAll(*st, b.source_system, b.source_object, NullIfEmpty(b.mapping_version),
          b.started_at != 0 ? b.started_at : NowNs());
  return ReturningId(*st, fmt::format("ingest_batch ({} {})", b.source_system, b.source_object));
}

Status Catalog::FinishBatch(const IngestBatch& b) {
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement(
          "UPDATE ingest_batch SET status = ?, finished_at = ?, records_read = ?, "
          "accepted = ?, quarantined = ?, duplicates = ?, message = ?, stale = ? WHERE id = ?"));
  BindAll(*st, ToString(b.status), b.finished_at.value_or(NowNs()), b.records_read, b.accepted,
          b.quarantined, b.duplicates, b.message, b.stale, b.id);
  const std::string what = fmt::format("ingest_batch id {}", b.id);
  FH_RETURN_IF_ERROR(RunStmt(*st, what));
  if (db_.Changes() == 0) return NotFound("{} not found", what);
  return Status();
}

Result<IngestBatch> Catalog::GetBatch(int64_t id) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st,
                      Statement("SELECT " BATCH_COLUMNS " FROM ingest_batch WHERE id = ?"));
  BindAll(*st, id);
  return ReadOne(*st, ReadBatch, fmt::format("ingest_batch id {}", id));
}

Result<std::vector<IngestBatch>> Catalog::ListBatches(int64_t limit) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st, Statement("SELECT " BATCH_COLUMNS " FROM ingest_batch "
                                               "ORDER BY id DESC LIMIT ?"));
  BindAll(*st, limit);
  return ReadAll(*st, ReadBatch, "ingest batches");
}

Status Catalog::RecordSeriesLineage(const std::vector<SeriesLineage>& spans) {
  // The embedded store names its tags in this file's tag table as it writes them; a server
  // back end (ClickHouse) does not, so a tag is entered here on its first lineage.
  FH_ASSIGN_OR_RETURN(ScopedStmt name,
                      Statement("INSERT INTO tag(name) VALUES (?) ON CONFLICT(name) DO NOTHING"));
  for (const SeriesLineage& s : spans) {
    BindAll(*name, s.tag);
    FH_RETURN_IF_ERROR(RunStmt(*name, fmt::format("tag '{}' of batch {}", s.tag, s.batch_id)));
    name->Reset();
  }
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      // A batch that records a tag again (a live source flushes every few seconds) widens
      // its span and adds its samples; min() and max() of a NULL line would be NULL.
      Statement("INSERT INTO batch_series(tag_id, batch_id, first_ts, last_ts, samples, "
                "first_line, last_line) SELECT id, ?, ?, ?, ?, ?, ? FROM tag WHERE name = ? "
                "ON CONFLICT(tag_id, batch_id) DO UPDATE SET "
                "first_ts = min(first_ts, excluded.first_ts), "
                "last_ts = max(last_ts, excluded.last_ts), "
                "samples = samples + excluded.samples, "
                "first_line = coalesce(min(first_line, excluded.first_line), first_line, "
                "excluded.first_line), "
                "last_line = coalesce(max(last_line, excluded.last_line), last_line, "
                "excluded.last_line)"));
  for (const SeriesLineage& s : spans) {
    BindAll(*st, s.batch_id, s.first_ts, s.last_ts, s.samples, s.first_line, s.last_line, s.tag);
    const std::string what = fmt::format("lineage of tag '{}' in batch {}", s.tag, s.batch_id);
    FH_RETURN_IF_ERROR(RunStmt(*st, what));
    if (db_.Changes() == 0) return NotFound("{}: no such tag", what);
    st->Reset();
  }
  return Status();
}

Result<std::vector<SeriesLineage>> Catalog::FindSeriesLineage(std::string_view tag,
                                                              TimestampNs at) {
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement("SELECT s.batch_id, s.first_ts, s.last_ts, s.samples, s.first_line, s.last_line "
                "FROM batch_series s JOIN tag t ON t.id = s.tag_id "
                "WHERE t.name = ? AND s.first_ts <= ? AND s.last_ts >= ? "
                "ORDER BY s.batch_id DESC"));
  BindAll(*st, tag, at, at);
  return ReadAll(
      *st,
      [&](Row& r) -> Result<SeriesLineage> {
        SeriesLineage s;
        s.tag = std::string(tag);
        s.batch_id = r.Int();
        s.first_ts = r.Int();
        s.last_ts = r.Int();
        s.samples = r.Int();
        s.first_line = r.OptInt();
        s.last_line = r.OptInt();
        return s;
      },
      fmt::format("lineage of tag '{}'", tag));
}

}  // namespace fh
