#include "store/outbox/outbox.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <random>

#include <fmt/format.h>

namespace fh::outbox {
namespace outbox_detail {

namespace fs = std::filesystem;

// A record: u32 payload length, u32 CRC-32 of the rest, i64 append time, u32 points, the
// payload.
constexpr size_t kHeaderBytes = 4 + 4 + 8 + 4;
// The state file: a magic, tail, acked, dropped records and points, and their CRC-32: one
// 48-byte write, within a sector, rewritten in place.
constexpr uint32_t kStateMagic = 0x46485342;  // "FHSB"
constexpr size_t kStateBytes = 4 + 8 + 8 + 8 + 8 + 4 + 8;

std::string SegmentName(uint64_t base) {
  return fmt::format("{:020}.seg", base);
}

uint32_t Crc(std::string_view a, std::string_view b = {}) {
  uLong c = crc32(0, reinterpret_cast<const Bytef*>(a.data()), static_cast<uInt>(a.size()));
  return static_cast<uint32_t>(
      crc32(c, reinterpret_cast<const Bytef*>(b.data()), static_cast<uInt>(b.size())));
}

template <typename T>
void Put(char*& p, T v) {
  std::memcpy(p, &v, sizeof(T));
  p += sizeof(T);
}
template <typename T>
T Get(const char*& p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  p += sizeof(T);
  return v;
}

Status Errno(std::string_view what, const fs::path& path) {
  return IOError("outbox: {} {}: {}", what, path.string(), std::strerror(errno));
}

Status WriteAll(int fd, const char* data, size_t n, off_t offset, const fs::path& path) {
  while (n > 0) {
    ssize_t w = pwrite(fd, data, n, offset);
    if (w < 0) {
      if (errno == EINTR) continue;
      return Errno("cannot write", path);
    }
    data += w;
    n -= static_cast<size_t>(w);
    offset += w;
  }
  return Status();
}

Status ReadAll(int fd, char* data, size_t n, off_t offset, const fs::path& path) {
  while (n > 0) {
    ssize_t r = pread(fd, data, n, offset);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return Errno("cannot read", path);
    if (r == 0) return Corruption("outbox: {} ends before its recorded tail", path.string());
    data += r;
    n -= static_cast<size_t>(r);
    offset += r;
  }
  return Status();
}

// An exclusive lock on the outbox for as long as it lives: every process appends and moves
// the cursor under it. flock() excludes other processes only (the threads of one share the
// lock through its file description), so the process's threads take a mutex first.
class Lock {
 public:
  Lock(std::mutex& mu, int fd) : guard_(mu), fd_(fd) {
    while (flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
    }
  }
  ~Lock() { flock(fd_, LOCK_UN); }
  Lock(const Lock&) = delete;
  Lock& operator=(const Lock&) = delete;

 private:
  std::lock_guard<std::mutex> guard_;
  int fd_;
};

}  // namespace outbox_detail

using namespace outbox_detail;

struct Outbox::Impl {
  fs::path dir;
  Limits limits;
  int lock_fd = -1;
  int state_fd = -1;
  std::mutex mu;
  std::string epoch;

  struct Persisted {
    uint64_t tail = 0, acked = 0;
    int64_t dropped_records = 0, dropped_points = 0;
  };

  ~Impl() {
    if (lock_fd >= 0) close(lock_fd);
    if (state_fd >= 0) close(state_fd);
  }

  Result<Persisted> ReadState() {
    char buf[kStateBytes];
    ssize_t r = pread(state_fd, buf, sizeof buf, 0);
    Persisted s;
    if (r == 0) return s;  // a new outbox
    if (r != static_cast<ssize_t>(sizeof buf)) return Errno("cannot read the state of", dir);
    const char* p = buf;
    const uint32_t magic = Get<uint32_t>(p);
    s.tail = Get<uint64_t>(p);
    s.acked = Get<uint64_t>(p);
    s.dropped_records = Get<int64_t>(p);
    s.dropped_points = Get<int64_t>(p);
    const uint32_t crc = Get<uint32_t>(p);
    if (magic != kStateMagic || crc != Crc(std::string_view(buf + 4, 32))) {
      return Corruption("outbox {}: its state file is damaged", dir.string());
    }
    return s;
  }

  Status WriteState(const Persisted& s) {
    char buf[kStateBytes] = {};
    char* p = buf;
    Put(p, kStateMagic);
    Put(p, s.tail);
    Put(p, s.acked);
    Put(p, s.dropped_records);
    Put(p, s.dropped_points);
    Put(p, Crc(std::string_view(buf + 4, 32)));
    FH_RETURN_IF_ERROR(WriteAll(state_fd, buf, sizeof buf, 0, dir / "state"));
    if (fdatasync(state_fd) != 0) return Errno("cannot sync", dir / "state");
    return Status();
  }

  // Segments by the position of their first byte.
  std::map<uint64_t, fs::path> Segments() {
    std::map<uint64_t, fs::path> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      const std::string name = entry.path().filename().string();
      if (!name.ends_with(".seg")) continue;
      uint64_t base = 0;
      auto [end, err] = std::from_chars(name.data(), name.data() + name.size() - 4, base);
      if (err == std::errc() && end == name.data() + name.size() - 4) out[base] = entry.path();
    }
    return out;
  }

  // Calls fn(record header fields, position) for each record in [from, to), reading the
  // payload only when want_payload. Stops when fn returns false.
  template <typename Fn>
  Status Walk(uint64_t from, uint64_t to, bool want_payload, Fn&& fn) {
    std::map<uint64_t, fs::path> segments = Segments();
    for (auto it = segments.begin(); it != segments.end(); ++it) {
      const uint64_t base = it->first;
      auto next = std::next(it);
      const uint64_t seg_end = next == segments.end() ? to : std::min(to, next->first);
      if (seg_end <= from) continue;
      int fd = open(it->second.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) return Errno("cannot open", it->second);
      uint64_t pos = std::max(from, base);
      Status status;
      while (pos < seg_end) {
        char header[kHeaderBytes];
        status = ReadAll(fd, header, sizeof header, static_cast<off_t>(pos - base), it->second);
        if (!status.ok()) break;
        const char* p = header;
        Record rec;
        const uint32_t length = Get<uint32_t>(p);
        const uint32_t crc = Get<uint32_t>(p);
        rec.appended_ns = Get<int64_t>(p);
        rec.points = Get<uint32_t>(p);
        rec.position = pos;
        rec.end = pos + kHeaderBytes + length;
        if (rec.end > seg_end) {
          status =
              Corruption("outbox {}: a record at {} runs past the stream's end", dir.string(), pos);
          break;
        }
        if (want_payload) {
          rec.payload.resize(length);
          status = ReadAll(fd, rec.payload.data(), length,
                           static_cast<off_t>(pos - base + kHeaderBytes), it->second);
          if (!status.ok()) break;
          if (Crc(std::string_view(header + 8, kHeaderBytes - 8), rec.payload) != crc) {
            status = Corruption("outbox {}: the record at {} is damaged", dir.string(), pos);
            break;
          }
        }
        pos = rec.end;
        if (!fn(std::move(rec))) {
          close(fd);
          return Status();
        }
      }
      close(fd);
      FH_RETURN_IF_ERROR(status);
      if (pos >= to) break;
    }
    return Status();
  }

  // Drops the oldest segments until what is unsent is within the limits; the segment being
  // appended to is never dropped. Under the lock.
  Status Drop(Persisted* s, int64_t now_ns, int64_t incoming_bytes) {
    std::map<uint64_t, fs::path> segments = Segments();
    for (auto it = segments.begin(); it != segments.end() && std::next(it) != segments.end();) {
      const uint64_t next_base = std::next(it)->first;
      if (next_base <= s->acked) {
        ++it;
        continue;
      }
      const int64_t unsent = static_cast<int64_t>(s->tail - s->acked) + incoming_bytes;
      int64_t oldest = 0;
      FH_RETURN_IF_ERROR(Walk(s->acked, s->tail, false, [&](Record r) {
        oldest = r.appended_ns;
        return false;
      }));
      const bool too_big = unsent > limits.max_bytes;
      const bool too_old = oldest != 0 && now_ns - oldest > limits.max_age_ns;
      if (!too_big && !too_old) break;
      int64_t records = 0, points = 0;
      FH_RETURN_IF_ERROR(Walk(s->acked, next_base, false, [&](Record r) {
        ++records;
        points += r.points;
        return true;
      }));
      s->dropped_records += records;
      s->dropped_points += points;
      s->acked = next_base;
      FH_RETURN_IF_ERROR(WriteState(*s));
      std::error_code ec;
      fs::remove(it->second, ec);
      it = segments.erase(it);
    }
    return Status();
  }
};

Outbox::Outbox(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Outbox::~Outbox() = default;

Result<std::unique_ptr<Outbox>> Outbox::Open(const fs::path& dir, Limits limits) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return IOError("outbox: cannot create {}: {}", dir.string(), ec.message());
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  impl->limits = limits;
  impl->lock_fd = open((dir / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (impl->lock_fd < 0) return Errno("cannot open", dir / "lock");
  impl->state_fd = open((dir / "state").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (impl->state_fd < 0) return Errno("cannot open", dir / "state");
  {
    Lock lock(impl->mu, impl->lock_fd);
    std::ifstream in(dir / "epoch");
    std::getline(in, impl->epoch);
    if (impl->epoch.size() != 16) {
      std::random_device random;
      impl->epoch = fmt::format("{:08x}{:08x}", random(), random());
      std::ofstream out(dir / "epoch.tmp");
      out << impl->epoch << "\n";
      out.close();
      if (!out) return IOError("outbox: cannot write {}", (dir / "epoch").string());
      fs::rename(dir / "epoch.tmp", dir / "epoch", ec);
      if (ec) return IOError("outbox: cannot write {}: {}", (dir / "epoch").string(), ec.message());
    }
  }
  return std::unique_ptr<Outbox>(new Outbox(std::move(impl)));
}

Status Outbox::Append(std::string_view payload, uint32_t points, int64_t now_ns) {
  Impl& m = *impl_;
  Lock lock(m.mu, m.lock_fd);
  FH_ASSIGN_OR_RETURN(Impl::Persisted s, m.ReadState());
  const int64_t bytes = static_cast<int64_t>(kHeaderBytes + payload.size());
  if (static_cast<int64_t>(s.tail - s.acked) + bytes > m.limits.max_bytes) {
    FH_RETURN_IF_ERROR(m.Drop(&s, now_ns, bytes));
  }
  // The segment to append to: the newest, unless it is full (or there is none).
  std::map<uint64_t, fs::path> segments = m.Segments();
  uint64_t base = segments.empty() ? s.tail : segments.rbegin()->first;
  if (segments.empty() || static_cast<int64_t>(s.tail - base) >= m.limits.segment_bytes) {
    base = s.tail;
  }
  const fs::path path = m.dir / SegmentName(base);
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Errno("cannot open", path);
  std::string record(kHeaderBytes, '\0');
  char* p = record.data();
  Put(p, static_cast<uint32_t>(payload.size()));
  char* crc_at = p;
  p += 4;
  Put(p, now_ns);
  Put(p, points);
  const uint32_t crc = Crc(std::string_view(record.data() + 8, kHeaderBytes - 8), payload);
  std::memcpy(crc_at, &crc, 4);
  record.append(payload);
  // At the recorded tail, not at the file's end: a record a crash tore is overwritten.
  Status written =
      WriteAll(fd, record.data(), record.size(), static_cast<off_t>(s.tail - base), path);
  if (written.ok() && fdatasync(fd) != 0) written = Errno("cannot sync", path);
  close(fd);
  FH_RETURN_IF_ERROR(written);
  s.tail += record.size();
  return m.WriteState(s);
}

Result<std::vector<Record>> Outbox::ReadUnsent(size_t max_bytes) {
  Impl& m = *impl_;
  Impl::Persisted s;
  {
    Lock lock(m.mu, m.lock_fd);
    FH_ASSIGN_OR_RETURN(s, m.ReadState());
  }
  std::vector<Record> out;
  size_t bytes = 0;
  FH_RETURN_IF_ERROR(m.Walk(s.acked, s.tail, true, [&](Record r) {
    if (!out.empty() && bytes + r.payload.size() > max_bytes) return false;
    bytes += r.payload.size();
    out.push_back(std::move(r));
    return true;
  }));
  return out;
}

Status Outbox::Acknowledge(uint64_t end) {
  Impl& m = *impl_;
  Lock lock(m.mu, m.lock_fd);
  FH_ASSIGN_OR_RETURN(Impl::Persisted s, m.ReadState());
  if (end <= s.acked) return Status();  // dropped meanwhile, or acknowledged twice
  if (end > s.tail) return InvalidArgument("outbox: {} is past the stream's end {}", end, s.tail);
  s.acked = end;
  FH_RETURN_IF_ERROR(m.WriteState(s));
  std::map<uint64_t, fs::path> segments = m.Segments();
  for (auto it = segments.begin(); it != segments.end(); ++it) {
    auto next = std::next(it);
    if (next == segments.end() || next->first > s.acked) break;
    std::error_code ec;
    fs::remove(it->second, ec);
  }
  return Status();
}

Status Outbox::EnforceLimits(int64_t now_ns) {
  Impl& m = *impl_;
  Lock lock(m.mu, m.lock_fd);
  FH_ASSIGN_OR_RETURN(Impl::Persisted s, m.ReadState());
  return m.Drop(&s, now_ns, 0);
}

const std::string& Outbox::epoch() const {
  return impl_->epoch;
}

Result<OutboxState> Outbox::State() {
  Impl& m = *impl_;
  Impl::Persisted s;
  {
    Lock lock(m.mu, m.lock_fd);
    FH_ASSIGN_OR_RETURN(s, m.ReadState());
  }
  OutboxState out;
  out.tail = s.tail;
  out.acked = s.acked;
  out.dropped_records = s.dropped_records;
  out.dropped_points = s.dropped_points;
  FH_RETURN_IF_ERROR(m.Walk(s.acked, s.tail, false, [&](Record r) {
    if (out.unsent_records == 0) out.oldest_unsent_ns = r.appended_ns;
    ++out.unsent_records;
    out.unsent_points += r.points;
    return true;
  }));
  return out;
}

}  // namespace fh::outbox
