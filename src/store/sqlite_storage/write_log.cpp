#include "store/sqlite_storage/write_log.h"

#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <numeric>

namespace fh::sqlite {

namespace {

constexpr uint32_t kMagic = 0x314C4846;  // "FHL1"

template <typename T>
void Put(std::string& out, const T& v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof(T));
}

template <typename T>
void PutAll(std::string& out, const std::vector<T>& v) {
  out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

// Reads from a decompressed segment, refusing to run past its end.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  template <typename T>
  bool Get(T* v) {
    if (bytes_.size() - at_ < sizeof(T)) return false;
    std::memcpy(v, bytes_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return true;
  }
  template <typename T>
  bool GetAll(std::vector<T>* v, size_t n) {
    if ((bytes_.size() - at_) / sizeof(T) < n) return false;
    v->resize(n);
    std::memcpy(v->data(), bytes_.data() + at_, n * sizeof(T));
    at_ += n * sizeof(T);
    return true;
  }
  bool done() const { return at_ == bytes_.size(); }

 private:
  std::string_view bytes_;
  size_t at_ = 0;
};

}  // namespace

const LogSegment::TagRange* LogSegment::Find(int64_t tag_id) const {
  auto it = std::lower_bound(tags.begin(), tags.end(), tag_id,
                             [](const TagRange& r, int64_t id) { return r.tag_id < id; });
  return it != tags.end() && it->tag_id == tag_id ? &*it : nullptr;
}

LogSegment MakeSegment(const SampleBatch& batch, std::span<const int64_t> ids, int64_t seq) {
  LogSegment s;
  s.seq = seq;
  const size_t n = batch.size();
  // Batch tag indexes in tag id order; then each tag's points, stably sorted by time.
  std::vector<uint32_t> by_id(ids.size());
  std::iota(by_id.begin(), by_id.end(), 0u);
  std::sort(by_id.begin(), by_id.end(), [&](uint32_t a, uint32_t b) { return ids[a] < ids[b]; });
  std::vector<uint32_t> start(ids.size() + 1, 0);
  for (size_t i = 0; i < n; ++i)
    ++start[batch.tag()[i] + 1];
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<uint32_t> order(n);
  {
    std::vector<uint32_t> next(start.begin(), start.end() - 1);
    for (size_t i = 0; i < n; ++i)
      order[next[batch.tag()[i]]++] = static_cast<uint32_t>(i);
  }
  s.ts.reserve(n);
  s.values.reserve(n);
  s.quality.reserve(n);
  for (uint32_t t : by_id) {
    const auto first = order.begin() + start[t], last = order.begin() + start[t + 1];
    if (first == last) continue;
    std::stable_sort(first, last,
                     [&](uint32_t a, uint32_t b) { return batch.ts()[a] < batch.ts()[b]; });
    const auto begin = static_cast<uint32_t>(s.ts.size());
    for (auto it = first; it != last; ++it) {
      const uint32_t i = *it;
      // Equal times: the later point of the batch (last in the stable order) wins.
      if (it + 1 != last && batch.ts()[*(it + 1)] == batch.ts()[i]) continue;
      s.ts.push_back(batch.ts()[i]);
      s.values.push_back(batch.value()[i]);
      s.quality.push_back(batch.quality()[i]);
    }
    s.tags.push_back({ids[t], begin, static_cast<uint32_t>(s.ts.size())});
  }
  return s;
}

std::string EncodeSegment(const LogSegment& s) {
  // Buffers and a zstd context per thread, reused: allocating (and zeroing) them for each
  // write cost more than compressing its 5,000 points.
  thread_local std::string raw;
  thread_local std::vector<char> compressed;
  thread_local const std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> context(ZSTD_createCCtx(),
                                                                                  &ZSTD_freeCCtx);
  if (!context) return {};
  raw.clear();
  Put(raw, kMagic);
  Put(raw, static_cast<uint32_t>(s.tags.size()));
  Put(raw, static_cast<uint32_t>(s.size()));
  for (const LogSegment::TagRange& t : s.tags) {
    Put(raw, t.tag_id);
    Put(raw, t.end - t.begin);
  }
  PutAll(raw, s.ts);
  PutAll(raw, s.values);
  PutAll(raw, s.quality);
  const size_t bound = ZSTD_compressBound(raw.size());
  if (compressed.size() < bound) compressed.resize(bound);
  // Level 1: the log is written once and read back only after a crash; speed matters.
  const size_t n = ZSTD_compressCCtx(context.get(), compressed.data(), compressed.size(),
                                     raw.data(), raw.size(), 1);
  if (ZSTD_isError(n)) return {};
  return std::string(compressed.data(), n);
}

Result<LogSegment> DecodeSegment(std::string_view bytes, int64_t seq) {
  const unsigned long long size = ZSTD_getFrameContentSize(bytes.data(), bytes.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (1ull << 34)) {
    return Corruption("write log entry {}: not a compressed segment", seq);
  }
  std::string raw(size, '\0');
  const size_t n = ZSTD_decompress(raw.data(), raw.size(), bytes.data(), bytes.size());
  if (ZSTD_isError(n) || n != size) return Corruption("write log entry {}: damaged", seq);
  Reader r(raw);
  uint32_t magic = 0, tags = 0, points = 0;
  if (!r.Get(&magic) || magic != kMagic || !r.Get(&tags) || !r.Get(&points)) {
    return Corruption("write log entry {}: bad header", seq);
  }
  LogSegment s;
  s.seq = seq;
  uint32_t at = 0;
  for (uint32_t i = 0; i < tags; ++i) {
    int64_t id = 0;
    uint32_t count = 0;
    if (!r.Get(&id) || !r.Get(&count) || count > points - at) {
      return Corruption("write log entry {}: bad tag table", seq);
    }
    s.tags.push_back({id, at, at + count});
    at += count;
  }
  if (at != points || !r.GetAll(&s.ts, points) || !r.GetAll(&s.values, points) ||
      !r.GetAll(&s.quality, points) || !r.done()) {
    return Corruption("write log entry {}: bad columns", seq);
  }
  return s;
}

void FreshPoints::Add(LogSegment segment) {
  Add(std::make_shared<const LogSegment>(std::move(segment)));
}

void FreshPoints::Add(std::shared_ptr<const LogSegment> segment) {
  std::unique_lock lock(mu_);
  // By seq; another process's segment may come after ours with a lower seq.
  auto at = std::lower_bound(segments_.begin(), segments_.end(), segment->seq,
                             [](const auto& s, int64_t seq) { return s->seq < seq; });
  if (at != segments_.end() && (*at)->seq == segment->seq) return;  // known already
  points_ += segment->size();
  segments_.insert(at, std::move(segment));
}

bool FreshPoints::Has(int64_t seq) const {
  auto at = std::lower_bound(segments_.begin(), segments_.end(), seq,
                             [](const auto& s, int64_t q) { return s->seq < q; });
  return at != segments_.end() && (*at)->seq == seq;
}

FreshPoints::View FreshPoints::Unflushed(int64_t flushed_seq) const {
  View out;
  for (const auto& s : segments_) {
    if (s->seq > flushed_seq) out.push_back(s);
  }
  return out;
}

FreshPoints::View FreshPoints::All() const {
  std::shared_lock lock(mu_);
  return segments_;
}

void FreshPoints::RemoveUpTo(int64_t seq) {
  std::unique_lock lock(mu_);
  auto keep =
      std::find_if(segments_.begin(), segments_.end(), [&](const auto& s) { return s->seq > seq; });
  for (auto it = segments_.begin(); it != keep; ++it)
    points_ -= (*it)->size();
  segments_.erase(segments_.begin(), keep);
  std::lock_guard counts_lock(new_points_mu_);
  new_points_.erase(new_points_.begin(), new_points_.upper_bound(seq));
}

std::optional<int64_t> FreshPoints::NewPoints(int64_t seq, int64_t tag_id) const {
  std::lock_guard lock(new_points_mu_);
  auto segment = new_points_.find(seq);
  if (segment == new_points_.end()) return std::nullopt;
  auto tag = segment->second.find(tag_id);
  if (tag == segment->second.end()) return std::nullopt;
  return tag->second;
}

void FreshPoints::SetNewPoints(int64_t seq, int64_t tag_id, int64_t points) {
  std::lock_guard lock(new_points_mu_);
  new_points_[seq][tag_id] = points;
}

size_t FreshPoints::points() const {
  std::shared_lock lock(mu_);
  return points_;
}

size_t FreshPoints::segments() const {
  std::shared_lock lock(mu_);
  return segments_.size();
}

size_t FlushCut(const FreshPoints::View& segments, size_t keep_newest) {
  const size_t n = segments.size();
  if (n <= keep_newest) return 0;
  const size_t last = n - keep_newest;  // the latest cut allowed
  if (keep_newest == 0) return n;
  const size_t first = last > keep_newest ? last - keep_newest : 1;  // the earliest tried
  // Each tag's points in segments [first, n), segment by segment.
  struct Piece {
    int64_t tag_id;
    size_t segment;
    TimestampNs earliest, latest;
  };
  std::vector<Piece> pieces;
  for (size_t i = first; i < n; ++i) {
    for (const LogSegment::TagRange& t : segments[i]->tags)
      pieces.push_back({t.tag_id, i, segments[i]->ts[t.begin], segments[i]->ts[t.end - 1]});
  }
  std::sort(pieces.begin(), pieces.end(), [](const Piece& a, const Piece& b) {
    return a.tag_id != b.tag_id ? a.tag_id < b.tag_id : a.segment < b.segment;
  });
  // Their latest point in segments [0, first).
  std::unordered_map<int64_t, TimestampNs> before;
  for (const Piece& p : pieces)
    before.emplace(p.tag_id, std::numeric_limits<TimestampNs>::min());
  for (size_t i = 0; i < first; ++i) {
    for (const LogSegment::TagRange& t : segments[i]->tags) {
      auto it = before.find(t.tag_id);
      if (it != before.end()) it->second = std::max(it->second, segments[i]->ts[t.end - 1]);
    }
  }
  // A cut c (first <= c <= last) is unclean for a tag when its latest point before c is no
  // older than its earliest from c on. Between two consecutive pieces of a tag, every cut
  // is the same for it: mark such ranges of cuts (a difference array over first..last+1).
  std::vector<int> unclean(last - first + 2, 0);
  auto mark = [&](size_t from, size_t to) {  // cuts in [from, to), clipped
    from = std::max(from, first);
    to = std::min(to, last + 1);
    if (from >= to) return;
    ++unclean[from - first];
    --unclean[to - first];
  };
  std::vector<TimestampNs> suffix_earliest;
  for (size_t lo = 0; lo < pieces.size();) {
    size_t hi = lo;
    while (hi < pieces.size() && pieces[hi].tag_id == pieces[lo].tag_id)
      ++hi;
    suffix_earliest.assign(hi - lo + 1, std::numeric_limits<TimestampNs>::max());
    for (size_t k = hi; k-- > lo;)
      suffix_earliest[k - lo] = std::min(suffix_earliest[k - lo + 1], pieces[k].earliest);
    TimestampNs latest = before[pieces[lo].tag_id];
    size_t from = first;  // cuts from here to the next piece's segment have pieces lo..k before
    for (size_t k = lo; k < hi; ++k) {
      if (latest >= suffix_earliest[k - lo]) mark(from, pieces[k].segment + 1);
      latest = std::max(latest, pieces[k].latest);
      from = pieces[k].segment + 1;
    }
    lo = hi;
  }
  size_t best = last;
  int running = 0;
  for (size_t c = first; c <= last; ++c) {
    running += unclean[c - first];
    if (running == 0) best = c;  // the latest clean cut wins
  }
  return best;
}

void CollectFresh(const FreshPoints::View& view, int64_t tag_id, TimeRange range,
                  std::vector<SeqSample>* out) {
  for (const auto& s : view) {
    const LogSegment::TagRange* r = s->Find(tag_id);
    if (!r) continue;
    const auto first = s->ts.begin() + r->begin, last = s->ts.begin() + r->end;
    auto lo = std::lower_bound(first, last, range.from);
    auto hi = std::lower_bound(lo, last, range.to);
    for (auto it = lo; it != hi; ++it) {
      const size_t i = static_cast<size_t>(it - s->ts.begin());
      out->push_back({s->ts[i], s->values[i], s->quality[i], s->seq});
    }
  }
}

}  // namespace fh::sqlite
