#include "store/catalog/text_samples.h"

#include <algorithm>
#include <set>

#include "common/glob.h"
#include "store/catalog/catalog_internal.h"

namespace fh {

using catalog_internal::Savepoint;

namespace {

Status CheckTextSample(const TextSample& t) {
  if (!IsValidTagName(t.tag)) {
    return InvalidArgument("text value: tag name must be 1..{} bytes, got {}", kMaxTagNameBytes,
                           t.tag.size());
  }
  if (!IsStorableTimestamp(t.ts)) {
    return InvalidArgument("text value of tag '{}': timestamp {} is out of range ({}..{})", t.tag,
                           t.ts, kMinStorableTimestamp, kMaxStorableTimestamp);
  }
  if (t.value.size() > kMaxTextValueBytes) {
    return InvalidArgument("text value of tag '{}': {} bytes, at most {}", t.tag, t.value.size(),
                           kMaxTextValueBytes);
  }
  return Status::Ok();
}

}  // namespace

Status TextSampleStore::Write(std::span<const TextSample> samples) {
  if (samples.empty()) return Status::Ok();
  for (const TextSample& t : samples)
    FH_RETURN_IF_ERROR(CheckTextSample(t));
  FH_ASSIGN_OR_RETURN(Savepoint sp, Savepoint::Begin(db_));
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * upsert,
                      db_.Cached("INSERT INTO text_sample(tag, ts, value) VALUES(?, ?, ?) "
                                 "ON CONFLICT(tag, ts) DO UPDATE SET value = excluded.value"));
  for (const TextSample& t : samples) {
    upsert->BindStatic(1, t.tag).Bind(2, t.ts).BindStatic(3, t.value);
    FH_RETURN_IF_ERROR(upsert->Run());
  }
  return sp.Release();
}

Result<std::vector<TextTagInfo>> TextSampleStore::ListTags() {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st,
                      db_.Cached("SELECT tag, COUNT(*), MIN(ts), MAX(ts) FROM text_sample "
                                 "GROUP BY tag ORDER BY tag"));
  std::vector<TextTagInfo> out;
  while (true) {
    Result<bool> row = st->Step();
    if (!row.ok()) {
      st->Reset();
      return row.status();
    }
    if (!*row) break;
    out.push_back({std::string(st->Text(0)), st->Int(1), st->Int(2), st->Int(3)});
  }
  st->Reset();
  return out;
}

Result<std::vector<std::string>> TextSampleStore::MatchTags(
    const std::vector<std::string>& patterns) {
  FH_ASSIGN_OR_RETURN(std::vector<TextTagInfo> all, ListTags());
  std::vector<std::string> out;
  std::set<std::string, std::less<>> seen;
  for (const std::string& pattern : patterns) {
    for (const TextTagInfo& t : all) {
      const bool match = IsGlob(pattern) ? GlobMatch(pattern, t.name) : pattern == t.name;
      if (match && seen.insert(t.name).second) out.push_back(t.name);
    }
  }
  return out;
}

Result<TagPatternSplit> SplitTagPatterns(Storage& storage, TextSampleStore& texts,
                                         const std::vector<std::string>& patterns) {
  TagPatternSplit split;
  FH_ASSIGN_OR_RETURN(split.text_tags, texts.MatchTags(patterns));
  if (split.text_tags.empty()) {
    split.numeric_patterns = patterns;
    return split;
  }
  FH_ASSIGN_OR_RETURN(std::vector<TagInfo> stored, storage.ListTags());
  auto names = [](const std::string& pattern, std::string_view tag) {
    return IsGlob(pattern) ? GlobMatch(pattern, tag) : pattern == tag;
  };
  for (const std::string& pattern : patterns) {
    const bool numeric = std::any_of(stored.begin(), stored.end(),
                                     [&](const TagInfo& t) { return names(pattern, t.name); });
    const bool text = std::any_of(split.text_tags.begin(), split.text_tags.end(),
                                  [&](const std::string& t) { return names(pattern, t); });
    if (numeric || !text) split.numeric_patterns.push_back(pattern);
  }
  return split;
}

Result<std::vector<TextSample>> TextSampleStore::Read(const std::string& tag, TimeRange range,
                                                      int64_t limit) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st,
                      db_.Cached("SELECT ts, value FROM text_sample WHERE tag = ? AND ts >= ? "
                                 "AND ts < ? ORDER BY ts LIMIT ?"));
  st->BindStatic(1, tag).Bind(2, range.from).Bind(3, range.to).Bind(4, limit > 0 ? limit : -1);
  std::vector<TextSample> out;
  while (true) {
    Result<bool> row = st->Step();
    if (!row.ok()) {
      st->Reset();
      return row.status();
    }
    if (!*row) break;
    out.push_back({tag, st->Int(0), std::string(st->Text(1))});
  }
  st->Reset();
  return out;
}

Result<std::optional<TextSample>> TextSampleStore::Latest(const std::string& tag) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st,
                      db_.Cached("SELECT ts, value FROM text_sample WHERE tag = ? "
                                 "ORDER BY ts DESC LIMIT 1"));
  st->BindStatic(1, tag);
  Result<bool> row = st->Step();
  std::optional<TextSample> out;
  if (row.ok() && *row) out = TextSample{tag, st->Int(0), std::string(st->Text(1))};
  st->Reset();
  if (!row.ok()) return row.status();
  return out;
}

Result<int64_t> TextSampleStore::Count() {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st, db_.Cached("SELECT COUNT(*) FROM text_sample"));
  Result<bool> row = st->Step();
  const int64_t n = row.ok() && *row ? st->Int(0) : 0;
  st->Reset();
  if (!row.ok()) return row.status();
  return n;
}

}  // namespace fh
