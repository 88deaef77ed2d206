#include "ml/pca/detector_data.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/ranges.h>

#include "ml/column_data.h"

namespace fh::ml {

size_t AlignedSignals::rows() const {
  size_t n = 0;
  for (const Unit& u : units)
    n += u.time.size();
  return n;
}

Result<size_t> KeepRunningRows(AlignedSignals& data, const std::string& signal, double above) {
  auto it = std::find(data.signals.begin(), data.signals.end(), signal);
  if (it == data.signals.end()) {
    return InvalidArgument("running.signal '{}' is not one of the detector's signals ({})", signal,
                           fmt::join(data.signals, ", "));
  }
  const size_t col = static_cast<size_t>(it - data.signals.begin());
  size_t dropped = 0;
  for (AlignedSignals::Unit& u : data.units) {
    size_t kept = 0, unit_dropped = 0;
    bool stopped = false;  // rows dropped since the last one kept
    for (size_t r = 0; r < u.time.size(); ++r) {
      if (!(u.columns[col][r] > above)) {  // a missing value is not running either
        ++unit_dropped;
        stopped = true;
        continue;
      }
      if (stopped && kept > 0) {
        // One missing row where the stop was (in a dropped row's place: kept < r), so that
        // no lagged window joins the rows before a stop to those after it.
        u.time[kept] = u.time[r - 1];
        for (std::vector<double>& c : u.columns)
          c[kept] = std::numeric_limits<double>::quiet_NaN();
        ++kept;
      }
      stopped = false;
      u.time[kept] = u.time[r];
      for (std::vector<double>& c : u.columns)
        c[kept] = c[r];
      ++kept;
    }
    dropped += unit_dropped;
    u.time.resize(kept);
    for (std::vector<double>& c : u.columns)
      c.resize(kept);
  }
  return dropped;
}

Result<DetectorRows> ReadDetectorRows(Storage& storage, const DetectorSpec& spec, TimeRange range,
                                      const std::vector<std::string>* expected) {
  DetectorRows rows;
  FH_ASSIGN_OR_RETURN(rows.data, ReadAligned(storage, spec.signals, range, spec.hold_ns, expected));
  for (const AlignedSignals::Unit& u : rows.data.units)
    if (!u.time.empty()) rows.newest = std::max(rows.newest, u.time.back());
  if (!spec.running_signal.empty()) {
    FH_ASSIGN_OR_RETURN(rows.stopped,
                        KeepRunningRows(rows.data, spec.running_signal, spec.running_above));
  }
  return rows;
}

Result<AlignedSignals> ReadAligned(Storage& storage, const std::string& pattern, TimeRange range,
                                   int64_t hold_ns, const std::vector<std::string>* expected) {
  // Read `hold` earlier too, so that the first rows have the values standing at their time.
  TimeRange wider = range;
  if (hold_ns > 0 && wider.from > INT64_MIN + hold_ns) wider.from -= hold_ns;
  FH_ASSIGN_OR_RETURN(ColumnData data, ReadColumns(storage, pattern, wider));
  AlignedSignals out;
  out.signals = expected ? *expected : data.columns;
  out.tags = data.tags;
  for (const std::string& s : out.signals) {
    if (!data.has(s)) {
      return NotFound("no tag of {} holds the signal '{}' (there are: {})", pattern, s,
                      data.list());
    }
  }
  for (const UnitColumns& u : data.units) {
    AlignedSignals::Unit a;
    a.unit = u.unit;
    const size_t n = u.time.size();
    std::vector<size_t> keep;
    for (size_t r = 0; r < n; ++r) {
      if (u.time[r] >= range.from && u.time[r] < range.to) keep.push_back(r);
    }
    for (size_t r : keep)
      a.time.push_back(u.time[r]);
    for (const std::string& s : out.signals) {
      const auto it = u.columns.find(s);
      std::vector<double> column(keep.size(), std::numeric_limits<double>::quiet_NaN());
      if (it != u.columns.end()) {
        // Forward-fill within `hold`, over all rows read (the earlier ones included).
        double last = std::numeric_limits<double>::quiet_NaN();
        int64_t last_at = 0;
        size_t k = 0;
        for (size_t r = 0; r < n; ++r) {
          const double v = it->second[r];
          if (!std::isnan(v)) {
            last = v;
            last_at = u.time[r];
          }
          if (k < keep.size() && keep[k] == r) {
            column[k++] = !std::isnan(v) ? v
                          : (!std::isnan(last) && u.time[r] - last_at <= hold_ns)
                              ? last
                              : std::numeric_limits<double>::quiet_NaN();
          }
        }
      }
      a.columns.push_back(std::move(column));
    }
    if (!a.time.empty()) out.units.push_back(std::move(a));
  }
  return out;
}

std::vector<ScoredRow> ScoreAligned(const PcaDetector& d, const AlignedSignals& data, size_t top) {
  std::vector<ScoredRow> out;
  std::vector<PcaScore> scores;
  for (size_t u = 0; u < data.units.size(); ++u) {
    const AlignedSignals::Unit& unit = data.units[u];
    const std::vector<std::span<const double>> spans(unit.columns.begin(), unit.columns.end());
    d.Score(spans, scores);
    for (size_t r = 0; r < scores.size(); ++r) {
      if (std::isnan(scores[r].t2)) continue;
      ScoredRow row{u,
                    unit.time[r],
                    scores[r].t2,
                    scores[r].spe,
                    scores[r].t2 > d.t2_limit(),
                    scores[r].spe > d.spe_limit(),
                    {}};
      if (row.beyond_t2 || row.beyond_spe) {
        const PcaContributions c = d.Contribute(spans, r);
        // The statistic furthest beyond its limit says what moved.
        const bool by_spe =
            row.beyond_spe && (!row.beyond_t2 || row.spe / d.spe_limit() >= row.t2 / d.t2_limit());
        const std::vector<double> share = d.BySignal(by_spe ? c.spe : c.t2);
        const double total = by_spe ? row.spe : row.t2;
        std::vector<size_t> order(share.size());
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(),
                  [&](size_t a, size_t b) { return share[a] > share[b]; });
        for (size_t i = 0; i < order.size() && i < top; ++i)
          row.moved.emplace_back(d.signals()[order[i]], total > 0 ? share[order[i]] / total : 0);
      }
      out.push_back(std::move(row));
    }
  }
  return out;
}

}  // namespace fh::ml
