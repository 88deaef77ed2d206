#include "api/web_sessions.h"

#include <sodium.h>

#include <algorithm>

#include "security/base64.h"
#include "security/sodium_init.h"

namespace fh::api {

namespace {

// 32 random bytes as URL-safe base64 without padding: 43 characters a cookie carries as is.
std::string RandomId() {
  security::EnsureSodium();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  return security::Base64(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes),
                          security::Base64Alphabet::kUrlSafe);
}

}  // namespace

std::string WebSessions::Key(std::string_view id) {
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(id.data()),
                     id.size(), nullptr, 0);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

std::string WebSessions::Create(const security::Principal& who, std::string password_hash,
                                TimestampNs now) {
  std::string id = RandomId();
  WebSession s{who, RandomId(), std::move(password_hash), now, now, now + options_.lifetime_ns,
               now};
  std::lock_guard<std::mutex> lock(mu_);
  std::erase_if(sessions_, [&](const auto& kv) {
    return now >= kv.second.expires_at || now - kv.second.last_seen >= options_.idle_ns;
  });
  if (sessions_.size() >= options_.max_sessions) {
    sessions_.erase(std::min_element(
        sessions_.begin(), sessions_.end(),
        [](const auto& a, const auto& b) { return a.second.last_seen < b.second.last_seen; }));
  }
  sessions_.emplace(Key(id), std::move(s));
  return id;
}

std::optional<WebSession> WebSessions::Find(std::string_view id, TimestampNs now) {
  if (id.empty()) return std::nullopt;
  std::lock_guard<std::mutex> lock(mu_);
  auto found = sessions_.find(Key(id));
  if (found == sessions_.end()) return std::nullopt;
  WebSession& s = found->second;
  if (now >= s.expires_at || now - s.last_seen >= options_.idle_ns) {
    sessions_.erase(found);
    return std::nullopt;
  }
  s.last_seen = now;
  return s;
}

void WebSessions::Refresh(std::string_view id, const security::Principal& who, TimestampNs now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto found = sessions_.find(Key(id));
  if (found == sessions_.end()) return;
  found->second.who = who;
  found->second.checked_at = now;
}

void WebSessions::End(std::string_view id) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(Key(id));
}

size_t WebSessions::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.size();
}

std::string_view CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const size_t semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ')
      pair.remove_prefix(1);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
  }
  return {};
}

}  // namespace fh::api
