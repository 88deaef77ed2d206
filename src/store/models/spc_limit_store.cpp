#include "store/models/spc_limit_store.h"

#include "store/sqlite/db.h"

namespace fh {
namespace {

constexpr const char* kLimitColumns =
    "characteristic, version, chart, subgroup_size, location_center, location_lower, "
    "location_upper, spread_center, spread_lower, spread_upper, sigma_within, baseline_from, "
    "baseline_to, subgroups, frozen_at, note";

StoredSpcLimits ReadLimits(const sqlite::Stmt& st) {
  StoredSpcLimits l;
  l.characteristic = std::string(st.Text(0));
  l.version = static_cast<int>(st.Int(1));
  l.chart = std::string(st.Text(2));
  l.subgroup_size = static_cast<int>(st.Int(3));
  l.location_center = st.Double(4);
  l.location_lower = st.Double(5);
  l.location_upper = st.Double(6);
  l.spread_center = st.Double(7);
  l.spread_lower = st.Double(8);
  l.spread_upper = st.Double(9);
  l.sigma_within = st.Double(10);
  l.baseline_from = st.Int(11);
  l.baseline_to = st.Int(12);
  l.subgroups = st.Int(13);
  l.frozen_at = st.Int(14);
  l.note = st.OptText(15);
  return l;
}

}  // namespace

Result<int> SpcLimitStore::Freeze(const StoredSpcLimits& l) {
  FH_ASSIGN_OR_RETURN(sqlite::Transaction tx, sqlite::Transaction::Begin(db_));
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt next,
      db_.Prepare(
          "SELECT coalesce(max(version), 0) + 1 FROM spc_limits WHERE characteristic = ?1"));
  next.Bind(1, std::string_view(l.characteristic));
  FH_RETURN_IF_ERROR(next.Step().status());
  const int version = static_cast<int>(next.Int(0));
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_.Prepare(fmt::format("INSERT INTO spc_limits({}) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                              "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                              kLimitColumns)));
  st.Bind(1, std::string_view(l.characteristic))
      .Bind(2, static_cast<int64_t>(version))
      .Bind(3, std::string_view(l.chart))
      .Bind(4, static_cast<int64_t>(l.subgroup_size))
      .Bind(5, l.location_center)
      .Bind(6, l.location_lower)
      .Bind(7, l.location_upper)
      .Bind(8, l.spread_center)
      .Bind(9, l.spread_lower)
      .Bind(10, l.spread_upper)
      .Bind(11, l.sigma_within)
      .Bind(12, l.baseline_from)
      .Bind(13, l.baseline_to)
      .Bind(14, l.subgroups)
      .Bind(15, l.frozen_at);
  if (l.note) {
    st.Bind(16, std::string_view(*l.note));
  } else {
    st.BindNull(16);
  }
  FH_RETURN_IF_ERROR(
      st.Step().status().WithContext(fmt::format("freezing the limits of {}", l.characteristic)));
  FH_RETURN_IF_ERROR(tx.Commit());
  return version;
}

Result<std::optional<StoredSpcLimits>> SpcLimitStore::Latest(std::string_view characteristic) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st,
                      db_.Prepare(fmt::format("SELECT {} FROM spc_limits WHERE characteristic = "
                                              "?1 ORDER BY version DESC LIMIT 1",
                                              kLimitColumns)));
  st.Bind(1, characteristic);
  FH_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<StoredSpcLimits>();
  return std::optional<StoredSpcLimits>(ReadLimits(st));
}

Result<std::vector<std::pair<std::string, int>>> SpcLimitStore::LatestVersions() {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_.Prepare("SELECT characteristic, max(version) FROM spc_limits GROUP BY characteristic"));
  std::vector<std::pair<std::string, int>> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.emplace_back(std::string(st.Text(0)), static_cast<int>(st.Int(1)));
  }
  return out;
}

Result<std::vector<StoredSpcLimits>> SpcLimitStore::History(std::string_view characteristic) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st,
                      db_.Prepare(fmt::format("SELECT {} FROM spc_limits WHERE characteristic = "
                                              "?1 ORDER BY version",
                                              kLimitColumns)));
  st.Bind(1, characteristic);
  std::vector<StoredSpcLimits> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadLimits(st));
  }
  return out;
}

}  // namespace fh
