#include <yaml-cpp/yaml.h>

#include "store/hub.h"

namespace fh {

ClickHouseConfig::ClickHouseConfig() = default;
SyncConfig::SyncConfig() = default;

namespace {

// Reads an optional scalar; errors say file:line and the key's full path.
template <typename T>
Status Read(const YAML::Node& parent, const char* key, const std::string& path,
            const std::string& file, T* out) {
  YAML::Node node = parent[key];
  if (!node) return Status();
  try {
    *out = node.as<T>();
  } catch (const YAML::Exception&) {
    return InvalidArgument("{}:{}: {}{}: cannot read '{}' as {}", file, node.Mark().line + 1, path,
                           key, node.Scalar(),
                           std::is_same_v<T, std::string> ? "text" : "a number");
  }
  return Status();
}

Status CheckKeys(const YAML::Node& node, std::initializer_list<std::string_view> known,
                 const std::string& path, const std::string& file) {
  if (!node) return Status();
  if (!node.IsMap()) {
    return InvalidArgument("{}:{}: {} must be a mapping", file, node.Mark().line + 1,
                           path.empty() ? "the document" : path);
  }
  for (const auto& kv : node) {
    std::string key = kv.first.as<std::string>();
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      return InvalidArgument("{}:{}: unknown key '{}{}'", file, kv.first.Mark().line + 1, path,
                             key);
    }
  }
  return Status();
}

std::string QuoteScalar(const std::string& text) {
  YAML::Emitter e;
  e << text;
  return e.c_str();
}

Status ReadClickHouse(const YAML::Node& node, const std::string& file, ClickHouseConfig* out) {
  const std::string path = "storage.clickhouse.";
  FH_RETURN_IF_ERROR(CheckKeys(
      node,
      {"url", "database", "user", "password_env", "site", "cluster", "compression", "timeout_ms"},
      path, file));
  if (!node) return Status();
  FH_RETURN_IF_ERROR(Read(node, "url", path, file, &out->url));
  FH_RETURN_IF_ERROR(Read(node, "database", path, file, &out->database));
  FH_RETURN_IF_ERROR(Read(node, "user", path, file, &out->user));
  FH_RETURN_IF_ERROR(Read(node, "password_env", path, file, &out->password_env));
  FH_RETURN_IF_ERROR(Read(node, "site", path, file, &out->site));
  FH_RETURN_IF_ERROR(Read(node, "cluster", path, file, &out->cluster));
  FH_RETURN_IF_ERROR(Read(node, "compression", path, file, &out->compression));
  FH_RETURN_IF_ERROR(Read(node, "timeout_ms", path, file, &out->timeout_ms));
  if (out->compression != "gzip" && out->compression != "none") {
    return InvalidArgument("{}:{}: {}compression must be gzip or none, got '{}'", file,
                           node["compression"].Mark().line + 1, path, out->compression);
  }
  if (out->timeout_ms <= 0) {
    return InvalidArgument("{}:{}: {}timeout_ms must be more than 0, got {}", file,
                           node["timeout_ms"].Mark().line + 1, path, out->timeout_ms);
  }
  return Status();
}

Status ReadSync(const YAML::Node& node, const std::string& file, SyncConfig* out) {
  const std::string path = "sync.";
  FH_RETURN_IF_ERROR(CheckKeys(
      node,
      {"central", "token_env", "site", "backlog_mb", "backlog_days", "batch_points", "ca_file"},
      path, file));
  if (!node) return Status();
  FH_RETURN_IF_ERROR(Read(node, "central", path, file, &out->central));
  FH_RETURN_IF_ERROR(Read(node, "token_env", path, file, &out->token_env));
  FH_RETURN_IF_ERROR(Read(node, "site", path, file, &out->site));
  FH_RETURN_IF_ERROR(Read(node, "backlog_mb", path, file, &out->backlog_mb));
  FH_RETURN_IF_ERROR(Read(node, "backlog_days", path, file, &out->backlog_days));
  FH_RETURN_IF_ERROR(Read(node, "batch_points", path, file, &out->batch_points));
  FH_RETURN_IF_ERROR(Read(node, "ca_file", path, file, &out->ca_file));
  if (!out->central.empty() && !out->central.starts_with("http://") &&
      !out->central.starts_with("https://")) {
    return InvalidArgument("{}:{}: sync.central must be an http:// or https:// URL, got '{}'", file,
                           node["central"].Mark().line + 1, out->central);
  }
  if (out->site.find('/') != std::string::npos) {
    return InvalidArgument("{}:{}: sync.site must not hold '/', got '{}'", file,
                           node["site"].Mark().line + 1, out->site);
  }
  if (out->backlog_mb < 1 || out->backlog_days < 1 || out->batch_points < 1) {
    return InvalidArgument(
        "{}:{}: sync.backlog_mb, backlog_days and batch_points must be "
        "positive",
        file, node.Mark().line + 1);
  }
  return Status();
}

}  // namespace

Result<HubConfig> HubConfig::Parse(const std::string& yaml, const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::ParserException& e) {
    return InvalidArgument("{}:{}: {}", file, e.mark.line + 1, e.msg);
  }
  HubConfig c;
  if (!root || root.IsNull()) return c;
  FH_RETURN_IF_ERROR(
      CheckKeys(root, {"name", "storage", "server", "encryption", "sync"}, "", file));
  FH_RETURN_IF_ERROR(Read(root, "name", "", file, &c.name));
  YAML::Node storage = root["storage"];
  FH_RETURN_IF_ERROR(CheckKeys(storage,
                               {"backend", "synchronous", "chunk_points", "buffer_points",
                                "log_points", "busy_timeout_ms", "clickhouse"},
                               "storage.", file));
  if (storage) {
    FH_RETURN_IF_ERROR(Read(storage, "backend", "storage.", file, &c.storage.backend));
    FH_RETURN_IF_ERROR(Read(storage, "synchronous", "storage.", file, &c.storage.synchronous));
    FH_RETURN_IF_ERROR(Read(storage, "chunk_points", "storage.", file, &c.storage.chunk_points));
    FH_RETURN_IF_ERROR(Read(storage, "buffer_points", "storage.", file, &c.storage.buffer_points));
    FH_RETURN_IF_ERROR(Read(storage, "log_points", "storage.", file, &c.storage.log_points));
    FH_RETURN_IF_ERROR(
        Read(storage, "busy_timeout_ms", "storage.", file, &c.storage.busy_timeout_ms));
    if (c.storage.synchronous != "full" && c.storage.synchronous != "normal") {
      return InvalidArgument("{}:{}: storage.synchronous must be full or normal, got '{}'", file,
                             storage["synchronous"].Mark().line + 1, c.storage.synchronous);
    }
    FH_RETURN_IF_ERROR(ReadClickHouse(storage["clickhouse"], file, &c.storage.clickhouse));
  }
  if (c.storage.clickhouse.site.empty()) c.storage.clickhouse.site = c.name;
  FH_RETURN_IF_ERROR(ReadSync(root["sync"], file, &c.sync));
  if (c.sync.site.empty()) c.sync.site = c.name;
  YAML::Node server = root["server"];
  FH_RETURN_IF_ERROR(CheckKeys(server, {"bind", "port", "tls_cert", "tls_key"}, "server.", file));
  if (server) {
    FH_RETURN_IF_ERROR(Read(server, "bind", "server.", file, &c.server.bind));
    FH_RETURN_IF_ERROR(Read(server, "port", "server.", file, &c.server.port));
    FH_RETURN_IF_ERROR(Read(server, "tls_cert", "server.", file, &c.server.tls_cert));
    FH_RETURN_IF_ERROR(Read(server, "tls_key", "server.", file, &c.server.tls_key));
    if (c.server.port < 0 || c.server.port > 65535) {
      return InvalidArgument("{}:{}: server.port must be 0..65535, got {}", file,
                             server["port"].Mark().line + 1, c.server.port);
    }
  }
  YAML::Node encryption = root["encryption"];
  FH_RETURN_IF_ERROR(CheckKeys(encryption, {"fields", "key_env", "key_file"}, "encryption.", file));
  if (encryption) {
    FH_RETURN_IF_ERROR(Read(encryption, "fields", "encryption.", file, &c.encryption.fields));
    FH_RETURN_IF_ERROR(Read(encryption, "key_env", "encryption.", file, &c.encryption.key_env));
    FH_RETURN_IF_ERROR(Read(encryption, "key_file", "encryption.", file, &c.encryption.key_file));
    for (const std::string& f : c.encryption.fields) {
      if (f.find('.') == std::string::npos) {
        return InvalidArgument(
            "{}:{}: encryption.fields: '{}' is not <entity>.<field> "
            "(customer.name)",
            file, encryption["fields"].Mark().line + 1, f);
      }
    }
  }
  return c;
}

namespace {

std::string ClickHouseYaml(const StorageConfig& s, const std::string& hub_name) {
  if (s.backend != "clickhouse") return "";
  const ClickHouseConfig& c = s.clickhouse;
  std::string out = fmt::format(
      "  clickhouse:          # the time series in ClickHouse (docs/storage.md)\n"
      "    url: {}\n"
      "    database: {}\n"
      "    user: {}\n"
      "    password_env: {}  # the variable holding the password\n",
      QuoteScalar(c.url), QuoteScalar(c.database), QuoteScalar(c.user),
      QuoteScalar(c.password_env));
  if (!c.site.empty() && c.site != hub_name) out += "    site: " + QuoteScalar(c.site) + "\n";
  if (!c.cluster.empty()) out += "    cluster: " + QuoteScalar(c.cluster) + "\n";
  if (c.compression != "gzip") out += "    compression: " + QuoteScalar(c.compression) + "\n";
  if (c.timeout_ms != ClickHouseConfig{}.timeout_ms) {
    out += fmt::format("    timeout_ms: {}\n", c.timeout_ms);
  }
  return out;
}

std::string SyncYaml(const SyncConfig& s, const std::string& hub_name) {
  if (s.central.empty()) return "";
  std::string out = fmt::format(
      "sync:                  # forward what is stored to a central hub (docs/sync.md)\n"
      "  central: {}\n"
      "  token_env: {}  # the variable holding the central hub's token\n"
      "  backlog_mb: {}\n"
      "  backlog_days: {}\n"
      "  batch_points: {}\n",
      QuoteScalar(s.central), QuoteScalar(s.token_env), s.backlog_mb, s.backlog_days,
      s.batch_points);
  if (!s.site.empty() && s.site != hub_name) out += "  site: " + QuoteScalar(s.site) + "\n";
  if (!s.ca_file.empty()) out += "  ca_file: " + QuoteScalar(s.ca_file) + "\n";
  return out;
}

std::string EncryptionYaml(const EncryptionConfig& e) {
  if (e.fields.empty()) return "";
  std::string out = "encryption:\n  fields: [";
  for (size_t i = 0; i < e.fields.size(); ++i)
    out += (i ? ", " : "") + QuoteScalar(e.fields[i]);
  out += "]\n";
  if (!e.key_env.empty()) out += "  key_env: " + QuoteScalar(e.key_env) + "\n";
  out += "  key_file: " + QuoteScalar(e.key_file) + "\n";
  return out;
}

}  // namespace

std::string HubConfig::ToYaml() const {
  return fmt::format(
             "# factoryhub hub configuration (docs/configuration.md)\n"
             "name: {}\n"
             "storage:\n"
             "  backend: {}        # sqlite: embedded store in factoryhub.db; clickhouse\n"
             "  synchronous: {}      # full: durable on power loss; normal: on process crash only\n"
             "  chunk_points: {}   # target points per compressed chunk\n"
             "  buffer_points: {}  # fresh points per tag kept as rows before compaction\n"
             "  log_points: {}  # small writes' points kept in the write log before a flush\n"
             "  busy_timeout_ms: {}  # a write's wait for another writing process (then HTTP 503)\n"
             "{}"
             "server:\n"
             "  bind: {}\n"
             "  port: {}\n"
             "{}",
             QuoteScalar(name), storage.backend, storage.synchronous, storage.chunk_points,
             storage.buffer_points, storage.log_points, storage.busy_timeout_ms,
             ClickHouseYaml(storage, name), server.bind, server.port,
             server.tls_cert.empty()
                 ? std::string(
                       "  # tls_cert: hub.crt  # HTTPS: a PEM certificate chain and its key\n"
                       "  # tls_key: hub.key   # (docs/security.md)\n")
                 : fmt::format("  tls_cert: {}\n  tls_key: {}\n", QuoteScalar(server.tls_cert),
                               QuoteScalar(server.tls_key))) +
         EncryptionYaml(encryption) + SyncYaml(sync, name);
}

}  // namespace fh
