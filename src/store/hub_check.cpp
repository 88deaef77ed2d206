#include "store/hub_check.h"

#include <cmath>
#include <limits>
#include <set>
#include <unordered_set>

#include "store/codec/chunk_codec.h"
#include "store/hub.h"
#include "store/sqlite/db.h"
#include "store/sqlite_storage/write_log.h"

namespace fh {

namespace {

using sqlite::Db;
using sqlite::Stmt;

// The crosswalk's entity names, each a table with an id column.
constexpr const char* kCrosswalkEntities[] = {"asset",
                                              "tag",
                                              "reason_code",
                                              "equipment_state_event",
                                              "material",
                                              "customer",
                                              "sales_order",
                                              "sales_order_line",
                                              "work_order",
                                              "work_order_operator",
                                              "inspection",
                                              "lot",
                                              "lot_link",
                                              "personnel",
                                              "qualification",
                                              "personnel_qualification",
                                              "equipment_qualification",
                                              "bom_item",
                                              "shipment"};

class Checker {
 public:
  Checker(Db& db, const CheckOptions& options) : db_(db), options_(options) {}

  Status Run() {
    FH_RETURN_IF_ERROR(Structure());
    FH_RETURN_IF_ERROR(ForeignKeys());
    FH_RETURN_IF_ERROR(Crosswalk());
    FH_RETURN_IF_ERROR(Counters());
    FH_RETURN_IF_ERROR(Chunks());
    FH_RETURN_IF_ERROR(WriteLog());
    if (dropped_ > 0) {
      report_.problems.push_back(
          {"check", "", fmt::format("{} more problems not listed", dropped_)});
    }
    return Status();
  }
  CheckReport& report() { return report_; }

 private:
  void Problem(std::string check, std::string where, std::string what) {
    if (report_.problems.size() >= options_.max_problems) {
      ++dropped_;
      return;
    }
    report_.problems.push_back({std::move(check), std::move(where), std::move(what)});
  }

  Status Structure() {
    FH_ASSIGN_OR_RETURN(
        Stmt stmt, db_.Prepare(options_.quick ? "PRAGMA quick_check" : "PRAGMA integrity_check"));
    while (true) {
      FH_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      const std::string message(stmt.Text(0));
      if (message != "ok") Problem("database", "factoryhub.db", message);
    }
    return Status();
  }

  Status ForeignKeys() {
    // Rows: table, rowid (NULL in a WITHOUT ROWID table), parent table, the key's number.
    FH_ASSIGN_OR_RETURN(Stmt stmt, db_.Prepare("PRAGMA foreign_key_check"));
    std::set<std::pair<std::string, int64_t>> without_rowid;  // (table, key number)
    while (true) {
      FH_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      const std::string table(stmt.Text(0)), parent(stmt.Text(2));
      if (stmt.IsNull(1)) {
        without_rowid.emplace(table, stmt.Int(3));
        continue;
      }
      FH_ASSIGN_OR_RETURN(ForeignKey key, ForeignKeyOf(table, stmt.Int(3)));
      Problem("references", fmt::format("table {} row {}", table, stmt.Int(1)),
              fmt::format("{} refers to a row of {} that does not exist", key.from, parent));
    }
    for (const auto& [table, fkid] : without_rowid)
      FH_RETURN_IF_ERROR(DanglingWithoutRowid(table, fkid));
    return Status();
  }

  struct ForeignKey {
    std::string from, parent, to;  // single-column keys: the hub's schema has no other
  };

  Result<ForeignKey> ForeignKeyOf(const std::string& table, int64_t fkid) {
    FH_ASSIGN_OR_RETURN(Stmt stmt,
                        db_.Prepare("SELECT \"from\", \"table\", COALESCE(\"to\", 'rowid') FROM "
                                    "pragma_foreign_key_list(?) WHERE id = ? ORDER BY seq"));
    stmt.Bind(1, std::string_view(table)).Bind(2, fkid);
    FH_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return Internal("table {} has no foreign key {}", table, fkid);
    return ForeignKey{std::string(stmt.Text(0)), std::string(stmt.Text(1)),
                      std::string(stmt.Text(2))};
  }

  // A table without rowids: its dangling rows named by their primary key.
  Status DanglingWithoutRowid(const std::string& table, int64_t fkid) {
    FH_ASSIGN_OR_RETURN(ForeignKey key, ForeignKeyOf(table, fkid));
    FH_ASSIGN_OR_RETURN(Stmt pk_columns,
                        db_.Prepare("SELECT name FROM pragma_table_info(?) WHERE pk > 0 "
                                    "ORDER BY pk"));
    pk_columns.Bind(1, std::string_view(table));
    std::vector<std::string> pk;
    while (true) {
      FH_ASSIGN_OR_RETURN(bool row, pk_columns.Step());
      if (!row) break;
      pk.emplace_back(pk_columns.Text(0));
    }
    std::string select;
    for (const std::string& c : pk)
      select += fmt::format("'{}=' || quote(\"{}\") || ' ' || ", c, c);
    FH_ASSIGN_OR_RETURN(
        Stmt rows,
        db_.Prepare(fmt::format("SELECT {}'' FROM \"{}\" t WHERE t.\"{}\" IS NOT NULL AND NOT "
                                "EXISTS (SELECT 1 FROM \"{}\" p WHERE p.\"{}\" = t.\"{}\")",
                                select, table, key.from, key.parent, key.to, key.from)));
    while (true) {
      FH_ASSIGN_OR_RETURN(bool row, rows.Step());
      if (!row) break;
      std::string id(rows.Text(0));
      if (!id.empty()) id.pop_back();
      Problem("references", fmt::format("table {} row ({})", table, id),
              fmt::format("{} refers to a row of {} that does not exist", key.from, key.parent));
    }
    return Status();
  }

  Status Crosswalk() {
    for (const char* entity : kCrosswalkEntities) {
      FH_ASSIGN_OR_RETURN(
          Stmt stmt,
          db_.Prepare(fmt::format("SELECT c.id, c.canonical_id, c.source_system, c.external_id, "
                                  "EXISTS(SELECT 1 FROM {} e WHERE e.id = c.canonical_id) "
                                  "FROM crosswalk c WHERE c.entity = ?",
                                  entity)));
      stmt.Bind(1, std::string_view(entity));
      while (true) {
        FH_ASSIGN_OR_RETURN(bool row, stmt.Step());
        if (!row) break;
        ++report_.references;
        if (stmt.Int(4) != 0) continue;
        Problem(
            "references", fmt::format("table crosswalk row {}", stmt.Int(0)),
            fmt::format("canonical_id {} ({} '{}' of {}) refers to a row of {} that does not exist",
                        stmt.Int(1), entity, stmt.Text(3), stmt.Text(2), entity));
      }
    }
    return Status();
  }

  Status Counters() {
    FH_ASSIGN_OR_RETURN(Stmt meta, db_.Prepare("SELECT key, value FROM ts_meta"));
    bool has_write_seq = false, has_flushed = false;
    int64_t flushed = 0;
    while (true) {
      FH_ASSIGN_OR_RETURN(bool row, meta.Step());
      if (!row) break;
      if (meta.Text(0) == "write_seq") {
        has_write_seq = true;
        write_seq_ = meta.Int(1);
      } else if (meta.Text(0) == "log_flushed_seq") {
        has_flushed = true;
        flushed = meta.Int(1);
      }
    }
    if (!has_write_seq) Problem("counters", "table ts_meta", "no write_seq row");
    if (!has_flushed) Problem("counters", "table ts_meta", "no log_flushed_seq row");
    if (has_write_seq && has_flushed && flushed > write_seq_) {
      Problem("counters", "table ts_meta",
              fmt::format("log_flushed_seq {} is past write_seq {}", flushed, write_seq_));
    }
    log_flushed_seq_ = flushed;
    if (!has_write_seq) write_seq_ = std::numeric_limits<int64_t>::max();
    return Status();
  }

  Status Chunks() {
    FH_ASSIGN_OR_RETURN(
        Stmt stmt, db_.Prepare("SELECT c.id, c.tag_id, t.name, c.t_min, c.t_max, c.n, c.v_min, "
                               "c.v_max, c.v_sum, c.seq, c.data FROM sample_chunk c "
                               "LEFT JOIN tag t ON t.id = c.tag_id ORDER BY c.tag_id, c.t_min"));
    codec::DecodedChunk decoded;
    while (true) {
      FH_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      ++report_.chunks;
      const int64_t id = stmt.Int(0);
      const TimestampNs t_min = stmt.Int(3), t_max = stmt.Int(4);
      const std::string tag = stmt.IsNull(2) ? fmt::format("(missing tag id {})", stmt.Int(1))
                                             : fmt::format("'{}'", stmt.Text(2));
      const std::string where = fmt::format("tag {}, chunk {} (sample_chunk row {}, [{}, {}])", tag,
                                            id, id, t_min, t_max);
      if (stmt.Int(9) > write_seq_) {
        Problem("chunks", where,
                fmt::format("write sequence {} is past the store's last ({})", stmt.Int(9),
                            write_seq_));
      }
      if (Status s = codec::DecodeChunk(stmt.Blob(10), &decoded); !s.ok()) {
        Problem("chunks", where, "does not decode: " + s.message());
        continue;
      }
      const auto n = static_cast<int64_t>(decoded.ts.size());
      if (n != stmt.Int(5) || n == 0) {
        Problem("chunks", where, fmt::format("holds {} points, its row says {}", n, stmt.Int(5)));
        continue;
      }
      if (decoded.ts.front() != t_min || decoded.ts.back() != t_max) {
        Problem("chunks", where,
                fmt::format("its points span [{}, {}], its row says [{}, {}]", decoded.ts.front(),
                            decoded.ts.back(), t_min, t_max));
      }
      for (int64_t i = 1; i < n; ++i) {
        if (decoded.ts[i] <= decoded.ts[i - 1]) {
          Problem("chunks", where,
                  fmt::format("times not strictly increasing at point {} ({} after {})", i,
                              decoded.ts[i], decoded.ts[i - 1]));
          break;
        }
      }
      CheckStatistics(stmt, decoded, where);
    }
    return Status();
  }

  // min, max and sum as the writer computed them (in order, NULL when a NaN is present).
  void CheckStatistics(const Stmt& stmt, const codec::DecodedChunk& decoded,
                       const std::string& where) {
    double vmin = decoded.values[0], vmax = decoded.values[0], vsum = 0;
    bool has_nan = false;
    for (double v : decoded.values) {
      has_nan |= std::isnan(v);
      vmin = v < vmin ? v : vmin;
      vmax = v > vmax ? v : vmax;
      vsum += v;
    }
    const bool stored = !stmt.IsNull(6) && !stmt.IsNull(7) && !stmt.IsNull(8);
    if (has_nan || !stored) {
      if (has_nan != !stored) {
        Problem("chunks", where,
                has_nan ? "holds a NaN but its row has min/max/sum"
                        : "its row lacks min/max/sum though it holds no NaN");
      }
      return;
    }
    auto same = [](double a, double b) { return a == b || (a == 0 && b == 0); };
    if (!same(vmin, stmt.Double(6)) || !same(vmax, stmt.Double(7)) || !same(vsum, stmt.Double(8))) {
      Problem("chunks", where,
              fmt::format("values give min {} max {} sum {}, its row says {} {} {}", vmin, vmax,
                          vsum, stmt.Double(6), stmt.Double(7), stmt.Double(8)));
    }
  }

  Status WriteLog() {
    std::unordered_set<int64_t> tags;
    {
      FH_ASSIGN_OR_RETURN(Stmt stmt, db_.Prepare("SELECT id FROM tag"));
      while (true) {
        FH_ASSIGN_OR_RETURN(bool row, stmt.Step());
        if (!row) break;
        tags.insert(stmt.Int(0));
      }
    }
    FH_ASSIGN_OR_RETURN(Stmt stmt, db_.Prepare("SELECT seq, data FROM sample_log ORDER BY seq"));
    while (true) {
      FH_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      ++report_.log_entries;
      const int64_t seq = stmt.Int(0);
      const std::string where = fmt::format("write log entry {} (sample_log row {})", seq, seq);
      if (seq > write_seq_) {
        Problem("write log", where, fmt::format("sequence past the store's last ({})", write_seq_));
      }
      if (seq <= log_flushed_seq_) {
        Problem("write log", where,
                fmt::format("flushed already (log_flushed_seq {}) yet still present; its "
                            "points are skipped",
                            log_flushed_seq_));
      }
      Result<sqlite::LogSegment> segment = sqlite::DecodeSegment(stmt.Blob(1), seq);
      if (!segment.ok()) {
        Problem("write log", where, segment.status().message());
        continue;
      }
      for (const sqlite::LogSegment::TagRange& r : segment->tags) {
        if (!tags.contains(r.tag_id)) {
          Problem("write log", where,
                  fmt::format("holds {} points of tag id {}, which does not exist", r.end - r.begin,
                              r.tag_id));
        }
        for (uint32_t i = r.begin + 1; i < r.end; ++i) {
          if (segment->ts[i] <= segment->ts[i - 1]) {
            Problem("write log", where,
                    fmt::format("tag id {}: times not strictly increasing at {}", r.tag_id,
                                segment->ts[i]));
            break;
          }
        }
      }
    }
    return Status();
  }

  Db& db_;
  const CheckOptions& options_;
  CheckReport report_;
  size_t dropped_ = 0;
  int64_t write_seq_ = 0;
  int64_t log_flushed_seq_ = 0;
};

}  // namespace

Result<CheckReport> CheckHub(const std::filesystem::path& dir, const CheckOptions& options) {
  std::error_code ec;
  if (!std::filesystem::exists(dir / kHubDbFile, ec)) {
    return FailedPrecondition("{} is not a hub (no {}): run `factoryhub init {}`", dir.string(),
                              kHubDbFile, dir.string());
  }
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Db> db, sqlite::Db::OpenReadOnly(dir / kHubDbFile));
  // One snapshot for every check: a writer working meanwhile cannot make it see half a
  // transaction.
  FH_RETURN_IF_ERROR(db->Exec("BEGIN"));
  Checker checker(*db, options);
  Status s = checker.Run();
  (void)db->Exec("COMMIT");  // read-only: nothing to keep
  FH_RETURN_IF_ERROR(s);
  return std::move(checker.report());
}

}  // namespace fh
