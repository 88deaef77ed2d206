// The hub's tags seen as InfluxDB sees its data: measurements, series (tag sets) and fields.
// Line protocol names a point `measurement/key=value/.../field` (ingest/line_protocol.h),
// so that name is split back: the last segment is the field, the middle segments of the form
// key=value are the series' tags, and the other segments, joined by '/', the measurement.
// A tag of another source reads the same way: `press-1/temperature` is field temperature of
// measurement press-1, and a name without '/' is the field `value` of a measurement of its
// own name (`line1.oven.temp` → measurement line1.oven.temp, field value).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/influxql/ast.h"
#include "store/storage.h"

namespace fh::api::influxql {

struct SeriesKey {
  std::string measurement;
  TagSet tags;  // sorted by key
  std::string field;
};

SeriesKey SplitTagName(std::string_view name);

struct SeriesField {
  std::string field;
  std::string tag;           // the hub's tag name holding it
  TimestampNs first_ts = 0;  // its oldest point (TagInfo::first_ts)
  bool has_points = false;
};

struct Series {
  TagSet tags;
  std::vector<SeriesField> fields;  // sorted by field
  const SeriesField* Field(std::string_view name) const;
};

struct Measurement {
  std::string name;
  std::vector<Series> series;  // sorted by tags

  std::vector<std::string> TagKeys() const;    // sorted, unique
  std::vector<std::string> FieldKeys() const;  // sorted, unique
};

class SeriesIndex {
 public:
  explicit SeriesIndex(const std::vector<std::string>& tag_names);
  // The store's tags, with their oldest points (what GROUP BY time without a start begins at).
  explicit SeriesIndex(const std::vector<TagInfo>& infos);
  const std::vector<Measurement>& measurements() const { return measurements_; }

 private:
  std::vector<Measurement> measurements_;  // sorted by name
};

}  // namespace fh::api::influxql
