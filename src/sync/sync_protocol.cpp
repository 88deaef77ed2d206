#include "sync/sync_protocol.h"

#include <charconv>
#include <cstring>

namespace fh::sync {
namespace protocol_detail {

constexpr size_t kHeaderBytes = 8 + 8 + 8 + 4 + 4;

template <typename T>
void Put(std::string* out, T v) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));
  out->append(bytes, sizeof(T));
}

template <typename T>
T Get(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

}  // namespace protocol_detail

void EncodePush(const std::vector<outbox::Record>& records, std::string* out) {
  using protocol_detail::Put;
  for (const outbox::Record& r : records) {
    Put<uint64_t>(out, r.position);
    Put<uint64_t>(out, r.end);
    Put<int64_t>(out, r.appended_ns);
    Put<uint32_t>(out, r.points);
    Put<uint32_t>(out, static_cast<uint32_t>(r.payload.size()));
    out->append(r.payload);
  }
}

std::string FormatBacklog(const EdgeBacklog& b) {
  return std::to_string(b.records) + " " + std::to_string(b.points) + " " + std::to_string(b.bytes);
}

std::optional<EdgeBacklog> ParseBacklog(std::string_view header) {
  EdgeBacklog b;
  int64_t* fields[] = {&b.records, &b.points, &b.bytes};
  for (size_t i = 0; i < 3; ++i) {
    if (i > 0) {
      if (header.empty() || header.front() != ' ') return std::nullopt;
      header.remove_prefix(1);
    }
    const auto [end, ec] =
        std::from_chars(header.data(), header.data() + header.size(), *fields[i]);
    if (ec != std::errc() || *fields[i] < 0) return std::nullopt;
    header.remove_prefix(static_cast<size_t>(end - header.data()));
  }
  if (!header.empty()) return std::nullopt;
  return b;
}

Result<std::vector<outbox::Record>> DecodePush(std::string_view body) {
  using protocol_detail::Get;
  std::vector<outbox::Record> out;
  while (!body.empty()) {
    if (body.size() < protocol_detail::kHeaderBytes) {
      return InvalidArgument("sync push: record {} is cut off in its header", out.size());
    }
    outbox::Record r;
    r.position = Get<uint64_t>(body.data());
    r.end = Get<uint64_t>(body.data() + 8);
    r.appended_ns = Get<int64_t>(body.data() + 16);
    r.points = Get<uint32_t>(body.data() + 24);
    const uint32_t length = Get<uint32_t>(body.data() + 28);
    body.remove_prefix(protocol_detail::kHeaderBytes);
    if (length > body.size()) {
      return InvalidArgument("sync push: record {} claims {} bytes, {} are left", out.size(),
                             length, body.size());
    }
    if (r.end <= r.position || (!out.empty() && r.position < out.back().end)) {
      return InvalidArgument("sync push: record {} is out of order ({}..{})", out.size(),
                             r.position, r.end);
    }
    r.payload.assign(body.substr(0, length));
    body.remove_prefix(length);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace fh::sync
