// SELECT: which series and fields a statement reads, grouped as GROUP BY says, each group
// one result series (statement_runner.h).
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <unordered_map>

#include <fmt/format.h>

#include "api/influxql/functions.h"
#include "api/influxql/statement_runner.h"
#include "common/time.h"

namespace fh::api::influxql {

namespace select_detail {

struct Column {
  std::string name;      // as answered
  std::string function;  // empty: raw
  double argument = 0;
  std::string key;  // field key, or tag key when is_tag
  bool is_tag = false;
};

struct Group {
  TagSet key;  // the GROUP BY tags' values
  std::vector<const Series*> series;
};

// mean, mean → mean, mean_1 (as InfluxDB names repeated columns).
void MakeNamesUnique(std::vector<Column>* columns) {
  std::map<std::string, int> seen;
  for (Column& c : *columns) {
    int& n = seen[c.name];
    if (n > 0) c.name += fmt::format("_{}", n);
    ++n;
  }
}

Result<std::vector<Column>> ColumnsOf(const SelectStatement& s, const Measurement& m,
                                      const std::vector<std::string>& group_keys) {
  const std::vector<std::string> fields = m.FieldKeys();
  const std::vector<std::string> tags = m.TagKeys();
  std::vector<Column> out;
  for (const FieldExpr& f : s.fields) {
    if (f.field == "*" && f.function.empty()) {
      // Every field and every tag not grouped by, in one alphabetical order.
      std::vector<Column> all;
      for (const std::string& k : fields)
        all.push_back({k, "", 0, k, false});
      for (const std::string& k : tags)
        if (std::find(group_keys.begin(), group_keys.end(), k) == group_keys.end() &&
            !std::binary_search(fields.begin(), fields.end(), k))
          all.push_back({k, "", 0, k, true});
      std::sort(all.begin(), all.end(),
                [](const Column& a, const Column& b) { return a.name < b.name; });
      out.insert(out.end(), all.begin(), all.end());
    } else if (f.field == "*") {
      for (const std::string& k : fields)
        out.push_back({f.alias.empty() ? f.function + "_" + k : f.alias + "_" + k, f.function,
                       f.argument, k, false});
    } else {
      const bool is_tag = f.function.empty() &&
                          !std::binary_search(fields.begin(), fields.end(), f.field) &&
                          std::binary_search(tags.begin(), tags.end(), f.field);
      std::string name = !f.alias.empty() ? f.alias : f.function.empty() ? f.field : f.function;
      out.push_back({std::move(name), f.function, f.argument, f.field, is_tag});
    }
  }
  MakeNamesUnique(&out);
  return out;
}

std::vector<Group> GroupsOf(const SelectStatement& s, const Measurement& m,
                            std::vector<std::string>* group_keys) {
  *group_keys = s.group_all_tags ? m.TagKeys() : s.group_tags;
  if (!s.group_all_tags) {
    std::sort(group_keys->begin(), group_keys->end());
    group_keys->erase(std::unique(group_keys->begin(), group_keys->end()), group_keys->end());
  }
  std::map<TagSet, std::vector<const Series*>> groups;
  for (const Series& series : m.series) {
    if (!s.where.tags.Matches(series.tags)) continue;
    TagSet key;
    for (const std::string& k : *group_keys)
      key.emplace_back(k, TagValue(series.tags, k));
    groups[std::move(key)].push_back(&series);
  }
  std::vector<Group> out;
  for (auto& [key, series] : groups)
    out.push_back({key, std::move(series)});
  return out;
}

class SelectRunner {
 public:
  SelectRunner(const SelectStatement& s, Storage& storage, int64_t now) : s_(s), storage_(storage) {
    lo_ = s.where.time.has_lo ? s.where.time.lo : std::numeric_limits<int64_t>::min();
    hi_ = s.where.time.has_hi ? s.where.time.hi : std::numeric_limits<int64_t>::max();
    // GROUP BY time without an upper bound ends now, as InfluxDB's does.
    if (s.interval > 0 && !s.where.time.has_hi) hi_ = now;
  }

  Status Run(const SeriesIndex& index, std::vector<ResultSeries>* out) {
    bool any_function = false, any_raw = false;
    for (const FieldExpr& f : s_.fields)
      (f.function.empty() ? any_raw : any_function) = true;
    if (any_function && any_raw)
      return InvalidArgument("mixing aggregate and non-aggregate queries is not supported");
    if (any_raw && s_.interval > 0)
      return InvalidArgument("GROUP BY requires at least one aggregate function");
    aggregate_ = any_function;
    // GROUP BY time without a start begins, as InfluxDB's does, at the oldest point read.
    if (aggregate_ && s_.interval > 0 && !s_.where.time.has_lo) {
      std::optional<TimestampNs> oldest = OldestPoint(index);
      if (!oldest) return Status::Ok();  // nothing to read
      lo_ = *oldest;
    }
    for (const Measurement& m : index.measurements()) {
      if (!std::any_of(s_.sources.begin(), s_.sources.end(),
                       [&](const Source& src) { return src.Matches(m.name); }))
        continue;
      std::vector<std::string> group_keys;
      const std::vector<Group> groups = GroupsOf(s_, m, &group_keys);
      if (groups.empty()) continue;
      FH_ASSIGN_OR_RETURN(std::vector<Column> columns, ColumnsOf(s_, m, group_keys));
      FH_RETURN_IF_ERROR(Prefetch(groups, columns));
      for (const Group& g : groups) {
        ResultSeries rs;
        rs.name = m.name;
        rs.tags = g.key;
        rs.columns.push_back("time");
        for (const Column& c : columns)
          rs.columns.push_back(c.name);
        FH_RETURN_IF_ERROR(aggregate_ ? Aggregate(g, columns, &rs.values)
                                      : Raw(g, columns, &rs.values));
        if (rs.values.empty()) continue;
        if (s_.descending) std::reverse(rs.values.begin(), rs.values.end());
        Page(&rs.values, s_.offset, s_.limit);
        if (!rs.values.empty()) out->push_back(std::move(rs));
      }
    }
    Page(out, s_.soffset, s_.slimit);
    return Status::Ok();
  }

 private:
  template <typename T>
  static void Page(std::vector<T>* v, int64_t offset, int64_t limit) {
    const auto off =
        static_cast<size_t>(std::min<int64_t>(offset, static_cast<int64_t>(v->size())));
    v->erase(v->begin(), v->begin() + static_cast<ptrdiff_t>(off));
    if (limit > 0 && v->size() > static_cast<size_t>(limit)) v->resize(static_cast<size_t>(limit));
  }

  TimeRange Range() const {
    return TimeRange{lo_, hi_ == std::numeric_limits<int64_t>::max() ? hi_ : hi_ + 1};
  }

  int64_t BucketOf(int64_t t) const {
    if (s_.interval == 0) return s_.where.time.has_lo ? lo_ : 0;
    const int64_t shifted = t - s_.interval_offset;
    int64_t q = shifted / s_.interval;
    if (shifted % s_.interval != 0 && shifted < 0) --q;
    return q * s_.interval + s_.interval_offset;
  }

  // The raw points of `tags` in range, bucketed; counted against kMaxPoints.
  // The raw points of `tag` in range, given to `each` point by point; counted against
  // kMaxPoints, past which the statement fails with `advice`. A tag the store lost meanwhile
  // has no points.
  template <typename Each>
  Status ScanCounted(const std::string& tag, std::string_view advice, Each&& each) {
    Status failed;
    Status st = storage_.Scan(
        tag, Range(),
        [&](std::span<const TimestampNs> ts, std::span<const double> v, std::span<const uint32_t>) {
          points_read_ += ts.size();
          if (points_read_ > kMaxPoints) {
            failed =
                InvalidArgument("this statement reads more than {} points: {}", kMaxPoints, advice);
            return false;
          }
          for (size_t i = 0; i < ts.size(); ++i)
            each(ts[i], v[i]);
          return true;
        });
    if (!failed.ok()) return failed;
    if (!st.ok() && st.code() != StatusCode::kNotFound) return st;
    return Status::Ok();
  }

  Status ScanBuckets(const std::vector<std::string>& tags,
                     std::map<int64_t, std::vector<Point>>* buckets) {
    for (const std::string& tag : tags) {
      FH_RETURN_IF_ERROR(ScanCounted(
          tag,
          "narrow its time range, or use a function the store aggregates (count, sum, mean, min, "
          "max, spread, stddev)",
          [&](int64_t ts, double v) {
            (*buckets)[BucketOf(ts)].push_back({ts, v});
          }));
    }
    return Status::Ok();
  }

  // The oldest point of the fields the statement reads, in the series it reads.
  std::optional<TimestampNs> OldestPoint(const SeriesIndex& index) const {
    std::optional<TimestampNs> oldest;
    for (const Measurement& m : index.measurements()) {
      if (!std::any_of(s_.sources.begin(), s_.sources.end(),
                       [&](const Source& src) { return src.Matches(m.name); }))
        continue;
      for (const Series& series : m.series) {
        if (!s_.where.tags.Matches(series.tags)) continue;
        for (const FieldExpr& f : s_.fields) {
          for (const SeriesField& sf : series.fields) {
            if ((f.field == "*" || sf.field == f.field) && sf.has_points)
              oldest = oldest ? std::min(*oldest, sf.first_ts) : sf.first_ts;
          }
        }
      }
    }
    return oldest;
  }

  static std::vector<std::string> TagsOf(const Group& g, const Column& c) {
    std::vector<std::string> tags;
    for (const Series* series : g.series)
      if (const SeriesField* f = series->Field(c.key)) tags.push_back(f->tag);
    return tags;
  }

  // A lone selector without GROUP BY time answers with the selected point's time.
  bool SelectorTime(const std::vector<Column>& columns) const {
    return s_.interval == 0 && columns.size() == 1 && IsSelector(columns[0].function);
  }

  bool PushedDown(const Column& c, size_t series, const std::vector<Column>& columns) const {
    return StoreAnswers(c.function, series) && s_.interval_offset == 0 && !SelectorTime(columns);
  }

  // The store's buckets of every tag that a measurement's pushed-down columns read, in one
  // query: a dashboard's GROUP BY time(1m), "id" over a thousand machines is one pass over
  // the store, not a thousand. Skipped (each group then asks for its own) when the buckets
  // would be too many to hold at once.
  Status Prefetch(const std::vector<Group>& groups, const std::vector<Column>& columns) {
    prefetched_.clear();
    std::set<std::string> tags;
    uint32_t aggs = 0;
    for (const Group& g : groups) {
      for (const Column& c : columns) {
        std::vector<std::string> group_tags = TagsOf(g, c);
        if (group_tags.empty() || !PushedDown(c, group_tags.size(), columns)) continue;
        aggs |= AggsFor(c.function) | kAggCount;
        tags.insert(group_tags.begin(), group_tags.end());
      }
    }
    if (tags.size() < 2) return Status::Ok();
    if (s_.interval > 0) {
      const double buckets =
          (static_cast<double>(hi_) - static_cast<double>(lo_)) / static_cast<double>(s_.interval) +
          1;
      if (buckets * static_cast<double>(tags.size()) > kMaxPrefetchBuckets) return Status::Ok();
    }
    AggregateQuery q;
    q.tags.assign(tags.begin(), tags.end());
    q.range = Range();
    q.every = s_.interval;
    q.aggs = aggs;
    FH_ASSIGN_OR_RETURN(std::vector<TagBuckets> got, storage_.Aggregate(q));
    for (TagBuckets& tb : got)
      prefetched_[tb.tag] = std::move(tb.buckets);
    return Status::Ok();
  }

  // The buckets of each of `tags` for `c`, in that order: views of the prefetched ones (a
  // GROUP BY of every series reads each series' buckets once per column: copying them cost
  // more than merging them), or asked for now and kept in `owned`.
  struct BucketLists {
    std::vector<TagBuckets> owned;
    std::vector<std::span<const Bucket>> lists;
  };
  Result<BucketLists> BucketsOf(const std::vector<std::string>& tags, const Column& c) {
    BucketLists out;
    out.lists.reserve(tags.size());
    for (const std::string& tag : tags) {
      auto it = prefetched_.find(tag);
      if (it == prefetched_.end()) {
        out.lists.clear();
        break;
      }
      out.lists.emplace_back(it->second);
    }
    if (out.lists.size() == tags.size()) return out;
    AggregateQuery q;
    q.tags = tags;
    q.range = Range();
    q.every = s_.interval;
    q.aggs = AggsFor(c.function) | kAggCount;
    FH_ASSIGN_OR_RETURN(out.owned, storage_.Aggregate(q));
    for (const TagBuckets& tb : out.owned)
      out.lists.emplace_back(tb.buckets);
    return out;
  }

  static Cell ToCell(const FunctionValue& v) {
    if (v.is_count) return static_cast<int64_t>(v.value);
    return v.value;
  }

  Status Aggregate(const Group& g, const std::vector<Column>& columns,
                   std::vector<std::vector<Cell>>* rows) {
    const bool selector_time = SelectorTime(columns);
    std::map<int64_t, std::vector<Cell>> by_bucket;
    std::optional<int64_t> selected_ts;
    auto cell = [&](int64_t bucket, size_t col) -> Cell& {
      auto [it, inserted] = by_bucket.try_emplace(bucket);
      if (inserted) it->second.resize(columns.size() + 1);
      return it->second[col + 1];
    };
    for (size_t col = 0; col < columns.size(); ++col) {
      const Column& c = columns[col];
      const std::vector<std::string> tags = TagsOf(g, c);
      if (tags.empty()) continue;
      if (PushedDown(c, tags.size(), columns)) {
        Result<BucketLists> got = BucketsOf(tags, c);
        if (!got.ok()) return got.status();
        // The series' buckets by interval, a series listed first first within one: one list
        // is in order already; several are sorted, stably.
        merging_.clear();
        for (std::span<const Bucket> list : got->lists)
          for (const Bucket& b : list)
            merging_.emplace_back(BucketOf(b.start), &b);
        if (got->lists.size() > 1) {
          std::stable_sort(merging_.begin(), merging_.end(),
                           [](const auto& a, const auto& b) { return a.first < b.first; });
        }
        for (size_t i = 0; i < merging_.size();) {
          parts_.clear();
          size_t j = i;
          for (; j < merging_.size() && merging_[j].first == merging_[i].first; ++j)
            parts_.push_back(merging_[j].second);
          if (auto v = FromBuckets(c.function, parts_)) cell(merging_[i].first, col) = ToCell(*v);
          i = j;
        }
        continue;
      }
      std::map<int64_t, std::vector<Point>> points;
      FH_RETURN_IF_ERROR(ScanBuckets(tags, &points));
      for (auto& [bucket, pts] : points) {
        if (auto v = Compute(c.function, c.argument, pts)) {
          cell(bucket, col) = ToCell(*v);
          if (selector_time) selected_ts = v->ts;
        }
      }
    }
    if (by_bucket.empty()) return Status::Ok();
    if (s_.interval == 0) {
      std::vector<Cell> row = std::move(by_bucket.begin()->second);
      row[0] = TimeCell{selected_ts.value_or(by_bucket.begin()->first)};
      rows->push_back(std::move(row));
      return Status::Ok();
    }
    return Fill(columns, std::move(by_bucket), rows);
  }

  Status Fill(const std::vector<Column>& columns, std::map<int64_t, std::vector<Cell>> by_bucket,
              std::vector<std::vector<Cell>>* rows) const {
    if (s_.fill == Fill::kNone) {
      for (auto& [bucket, row] : by_bucket) {
        row[0] = TimeCell{bucket};
        rows->push_back(std::move(row));
      }
      return Status::Ok();
    }
    const int64_t first = BucketOf(lo_);
    const int64_t last = BucketOf(hi_);
    const int64_t n = (last - first) / s_.interval + 1;
    if (n > kMaxBuckets)
      return InvalidArgument(
          "GROUP BY time({}) gives {} buckets a series, more than {}: widen the interval, narrow "
          "the time range, or fill(none)",
          FormatDuration(s_.interval), n, kMaxBuckets);
    rows->reserve(static_cast<size_t>(n));
    for (int64_t b = first; b <= last; b += s_.interval) {
      auto it = by_bucket.find(b);
      std::vector<Cell> row =
          it != by_bucket.end() ? std::move(it->second) : std::vector<Cell>(columns.size() + 1);
      row[0] = TimeCell{b};
      rows->push_back(std::move(row));
    }
    for (size_t col = 1; col <= columns.size(); ++col) {
      const bool count = columns[col - 1].function == "count";
      std::optional<size_t> previous;
      for (size_t r = 0; r < rows->size(); ++r) {
        Cell& c = (*rows)[r][col];
        if (!std::holds_alternative<std::monostate>(c)) {
          if (s_.fill == Fill::kLinear && previous && *previous + 1 < r)
            Interpolate(rows, col, *previous, r);
          previous = r;
          continue;
        }
        if (s_.fill == Fill::kValue) {
          c = count ? Cell(static_cast<int64_t>(s_.fill_value)) : Cell(s_.fill_value);
        } else if (s_.fill == Fill::kPrevious && previous) {
          c = (*rows)[*previous][col];
        } else if (s_.fill == Fill::kNull && count) {
          c = int64_t{0};  // an empty bucket counts no points
        }
      }
    }
    return Status::Ok();
  }

  static double AsDouble(const Cell& c) {
    return std::holds_alternative<int64_t>(c) ? static_cast<double>(std::get<int64_t>(c))
                                              : std::get<double>(c);
  }

  static void Interpolate(std::vector<std::vector<Cell>>* rows, size_t col, size_t from,
                          size_t to) {
    const double a = AsDouble((*rows)[from][col]);
    const double b = AsDouble((*rows)[to][col]);
    const bool integer = std::holds_alternative<int64_t>((*rows)[from][col]);
    for (size_t r = from + 1; r < to; ++r) {
      const double v = a + (b - a) * static_cast<double>(r - from) / static_cast<double>(to - from);
      (*rows)[r][col] = integer ? Cell(static_cast<int64_t>(v)) : Cell(v);
    }
  }

  Status Raw(const Group& g, const std::vector<Column>& columns,
             std::vector<std::vector<Cell>>* rows) {
    for (const Series* series : g.series) {
      std::map<int64_t, std::vector<Cell>> by_time;
      for (size_t col = 0; col < columns.size(); ++col) {
        const Column& c = columns[col];
        if (c.is_tag) continue;
        const SeriesField* f = series->Field(c.key);
        if (!f) continue;
        FH_RETURN_IF_ERROR(ScanCounted(f->tag,
                                       "narrow its time range or aggregate with GROUP BY time",
                                       [&](int64_t ts, double v) {
                                         auto [it, inserted] = by_time.try_emplace(ts);
                                         if (inserted) it->second.resize(columns.size() + 1);
                                         it->second[col + 1] = v;
                                       }));
      }
      for (auto& [ts, row] : by_time) {
        row[0] = TimeCell{ts};
        for (size_t col = 0; col < columns.size(); ++col) {
          if (!columns[col].is_tag) continue;
          const std::string_view v = TagValue(series->tags, columns[col].key);
          if (!v.empty()) row[col + 1] = std::string(v);
        }
        rows->push_back(std::move(row));
      }
    }
    // The group's series merged in time order; a series listed first comes first at a tie.
    std::stable_sort(rows->begin(), rows->end(),
                     [](const std::vector<Cell>& a, const std::vector<Cell>& b) {
                       return std::get<TimeCell>(a[0]).ns < std::get<TimeCell>(b[0]).ns;
                     });
    return Status::Ok();
  }

  const SelectStatement& s_;
  Storage& storage_;
  int64_t lo_, hi_;
  bool aggregate_ = false;
  size_t points_read_ = 0;
  std::unordered_map<std::string, std::vector<Bucket>> prefetched_;  // by tag
  // Scratch of Aggregate, kept from group to group: (interval, bucket), and one interval's.
  std::vector<std::pair<int64_t, const Bucket*>> merging_;
  std::vector<const Bucket*> parts_;
};

}  // namespace select_detail

StatementResult RunSelect(const SelectStatement& s, const SeriesIndex& index, Storage& storage,
                          int64_t now_ns) {
  StatementResult r;
  select_detail::SelectRunner runner(s, storage, now_ns);
  if (Status st = runner.Run(index, &r.series); !st.ok()) {
    r.series.clear();
    r.error = st.message();
  }
  return r;
}

}  // namespace fh::api::influxql
