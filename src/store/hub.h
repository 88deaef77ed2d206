// A hub is a folder: factoryhub.yaml (configuration) and factoryhub.db (SQLite, WAL)
// holding the canonical model and, with the embedded back end, the time series.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "common/status.h"
#include "store/catalog_session.h"
#include "store/event_session.h"
#include "store/storage.h"

namespace fh {

namespace sqlite {
class Db;
}

inline constexpr const char* kHubConfigFile = "factoryhub.yaml";
inline constexpr const char* kHubDbFile = "factoryhub.db";

// The ClickHouse back end's server (storage.clickhouse in factoryhub.yaml; docs/storage.md).
struct ClickHouseConfig {
  // Out of line: GCC 12 misreads the inlined construction of a HubConfig{} temporary as a
  // read of these strings before they are made (-Wmaybe-uninitialized).
  ClickHouseConfig();
  std::string url = "http://127.0.0.1:8123";  // its HTTP interface
  std::string database = "factoryhub";        // created if missing
  std::string user = "default";
  // The environment variable holding the user's password: never in the file.
  std::string password_env = "FH_CLICKHOUSE_PASSWORD";
  // The name this hub's points are stored under, beside other plants' (default: the hub's
  // name).
  std::string site;
  // A cluster of the server's remote_servers: tables replicated on every shard through
  // ZooKeeper, read and written through Distributed tables (empty: one server).
  std::string cluster;
  std::string compression = "gzip";  // of inserted batches: gzip or none
  int timeout_ms = 30'000;
};

struct StorageConfig {
  // Which back end stores the time series: "sqlite" (embedded, the default) or
  // "clickhouse" (a ClickHouse server; the catalog stays in the hub's SQLite file).
  std::string backend = "sqlite";
  ClickHouseConfig clickhouse;
  // PRAGMA synchronous for the embedded store: "full" (default; durable against power
  // loss) or "normal" (durable against a process crash only, faster commits).
  std::string synchronous = "full";
  // Target points per compressed chunk (default 8192). Larger chunks compress better;
  // smaller ones decode less for short range queries.
  int chunk_points = 8192;
  // A tag's fresh points wait in the row buffer until this many (default 1024) have
  // gathered, then they are compacted into a chunk. Writes of at least this many points
  // of one tag go straight to chunks.
  int buffer_points = 1024;
  // Writes of fewer than 65,536 points (a stream's requests) are appended to a write log,
  // one row each, and moved into the row buffer and chunks together once the log holds
  // log_points (default 1,000,000; 0: no log): a small write of many tags then costs a few
  // pages, not one per tag.
  int log_points = 1'000'000;
  // How long a write waits for another process writing to the hub (an import, compact)
  // before it fails as unavailable — HTTP writes then answer 503 with Retry-After.
  int busy_timeout_ms = 10'000;
};

struct ServerConfig {
  std::string bind = "127.0.0.1";  // address to listen on
  int port = 8080;                 // TCP port
  // HTTPS: a PEM certificate chain and its key, relative to the hub's folder or absolute;
  // both empty: plain HTTP.
  std::string tls_cert, tls_key;
};

// Encryption at rest of sensitive catalog fields (docs/security.md#encryption-at-rest).
struct EncryptionConfig {
  std::vector<std::string> fields;  // "<entity>.<field>": customer.name, personnel.name
  // The master key: from this environment variable (64 hex digits) when set, else from this
  // file (relative to the hub's folder or absolute; 0600).
  std::string key_env;
  std::string key_file = "keys/master.key";
};

// Forwarding to a central hub (docs/sync.md): empty `central`, none.
struct SyncConfig {
  SyncConfig();         // out of line, as ClickHouseConfig's
  std::string central;  // the central hub's URL (http:// or https://)
  // The environment variable holding a token of the central hub with the operator role.
  std::string token_env = "FH_SYNC_TOKEN";
  // What the central hub calls this hub: its tags arrive there as "<site>/<tag>" (default:
  // the hub's name).
  std::string site;
  int64_t backlog_mb = 10'240;  // unsent records past this drop the oldest (counted)
  int backlog_days = 30;        // and unsent records older than this
  int batch_points = 200'000;   // points per request at most
  std::string ca_file;          // a CA to check an https:// central hub against
};

struct HubConfig {
  std::string name = "factoryhub";
  StorageConfig storage;
  ServerConfig server;
  EncryptionConfig encryption;
  SyncConfig sync;

  // Parses factoryhub.yaml text; errors name the file, line and key.
  static Result<HubConfig> Parse(const std::string& yaml, const std::string& file_name);
  std::string ToYaml() const;
};

class FieldProtection;
namespace outbox {
class Outbox;
}

class Hub {
 public:
  // Creates DIR (if needed) with a new configuration and an empty, migrated database.
  // AlreadyExists if DIR already holds a hub.
  static Status Init(const std::filesystem::path& dir, const HubConfig& config);
  // Opens an existing hub; FailedPrecondition naming DIR if it is not one.
  //
  // read_only: writes nothing at all (no migration, no repair, no checkpoint), so that a
  // hub on a full disk or a read-only file system can still be read; every write then
  // fails as FailedPrecondition, naming why. Without it, a hub whose database cannot be
  // opened for writing (the same causes) is opened read-only all the same, and
  // read_only_reason() says why: a command that only reads goes on working.
  static Result<std::unique_ptr<Hub>> Open(const std::filesystem::path& dir,
                                           bool read_only = false);
  ~Hub();

  const std::filesystem::path& dir() const { return dir_; }
  const HubConfig& config() const { return config_; }
  // Empty unless the hub was opened read-only: then why.
  const std::string& read_only_reason() const { return read_only_reason_; }
  Storage& storage() { return *storage_; }
  // The outbox of what is to be forwarded to the central hub; null when the hub does not
  // forward (config().sync.central empty) or was opened read-only.
  outbox::Outbox* outbox() { return outbox_; }

  // The relational store (canonical model, governance, lineage, models, alarms) for as long
  // as the session lives; waits while another session is open (store/catalog_session.h).
  CatalogSession OpenCatalog();
  // The live events (store/event_session.h), in events.db.
  EventSession OpenEvents();

 private:
  Hub() = default;
  Status OpenForWriting();
  std::filesystem::path dir_;
  HubConfig config_;
  std::string read_only_reason_;
  std::unique_ptr<sqlite::Db> catalog_db_;  // guarded by catalog_mutex_
  std::mutex catalog_mutex_;
  std::unique_ptr<sqlite::Db> events_db_;  // guarded by events_mutex_; null: none (read-only)
  std::mutex events_mutex_;
  std::unique_ptr<Storage> storage_;
  outbox::Outbox* outbox_ = nullptr;             // owned by storage_ (an OutboxStorage)
  std::unique_ptr<FieldProtection> protection_;  // encryption.fields; null: none
};

}  // namespace fh
