// TextSampleStore: the hub's text values (model/text_sample.h) — line protocol's string
// fields — per tag and time, in the hub database beside the numeric store (table
// text_sample, migration 0009). Last write wins for equal (tag, ts), as for numbers.
//
// Text values are not aggregated: an aggregate query skips them and says so. A tag name may
// hold text values and numeric points both (a client that changed a field's type); each
// kind is read where it is stored.
//
// Like Catalog, it uses the hub's catalog connection: reach it through a CatalogSession
// (store/catalog_session.h), which serialises its use.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "model/sample.h"
#include "model/text_sample.h"
#include "store/storage.h"

namespace fh {

namespace sqlite {
class Db;
}

struct TextTagInfo {
  std::string name;
  int64_t values = 0;  // stored text values
  TimestampNs first_ts = 0;
  TimestampNs last_ts = 0;
};

class TextSampleStore {
 public:
  // `db` must hold the hub's schema (sqlite::HubMigrations()) and outlive the store.
  explicit TextSampleStore(sqlite::Db& db) : db_(db) {}

  // Stores every value, or (InvalidArgument naming the first bad one: a tag name not
  // 1..kMaxTagNameBytes, an unstorable timestamp, a value over kMaxTextValueBytes) none.
  // Atomic: inside the caller's transaction, or in one of its own.
  Status Write(std::span<const TextSample> samples);

  // Every tag holding text values, by name.
  Result<std::vector<TextTagInfo>> ListTags();
  // The tags holding text values that `patterns` name: literal names and globs (common/glob.h),
  // each tag once, in the order of the patterns and then by name. A pattern naming no text
  // tag adds nothing (it may name numeric tags).
  Result<std::vector<std::string>> MatchTags(const std::vector<std::string>& patterns);
  // The values of `tag` in `range`, in time order; at most `limit` (0: all). Empty for a tag
  // without text values.
  Result<std::vector<TextSample>> Read(const std::string& tag, TimeRange range, int64_t limit = 0);
  // The newest value of `tag`, if it has any.
  Result<std::optional<TextSample>> Latest(const std::string& tag);
  // How many text values the hub holds.
  Result<int64_t> Count();

 private:
  sqlite::Db& db_;
};

// A query's tag patterns (names and globs) split between the two stores: the text tags they
// name, and the patterns left for the numeric store — those naming a numeric tag, or no text
// tag (so that an unknown name is still reported there). For `query` and /api/v1/query.
struct TagPatternSplit {
  std::vector<std::string> numeric_patterns;  // in the order given
  std::vector<std::string> text_tags;         // as TextSampleStore::MatchTags
};
// Used through a CatalogSession (for `texts`).
Result<TagPatternSplit> SplitTagPatterns(Storage& storage, TextSampleStore& texts,
                                         const std::vector<std::string>& patterns);

}  // namespace fh
