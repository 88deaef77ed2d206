// POST /api/v1/import: a file uploaded from the dashboard (or `curl --data-binary`), imported
// through one of the hub's mappings as last stored, or only validated (dry_run=true: nothing
// is stored), as `factoryhub import` and `validate` do; GET /api/v1/mappings: the mappings
// there are. The file is read from a temporary copy in the hub's folder, removed afterwards.
#include <atomic>
#include <fstream>

#include "api/governance_json.h"
#include "api/http_reply.h"
#include "api/routes.h"
#include "api/stored_mapping.h"
#include "common/time.h"
#include "pipeline/import_job.h"
#include "store/audit/audit_ledger.h"
#include "store/catalog_session.h"
#include "store/governance/governance_store.h"

namespace fh::api {
namespace {

// A file name as lineage names it: its last path segment, letters, digits and ._- only (the
// original's extension kept: readers may go by it).
std::string SafeName(std::string_view name) {
  const size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string out;
  for (char c : name.substr(0, 120)) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    out += ok ? c : '_';
  }
  return out.empty() || out.front() == '.' ? "upload" + out : out;
}

// A file in the hub's tmp/ folder, removed when it goes out of scope.
class TemporaryCopy {
 public:
  static Result<TemporaryCopy> Write(const std::filesystem::path& dir, const std::string& name,
                                     std::string_view bytes) {
    static std::atomic<uint64_t> counter{0};
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return IOError("cannot create {}: {}", dir.string(), ec.message());
    TemporaryCopy copy(dir / fmt::format("upload-{}-{}-{}", NowNs(), counter++, name));
    std::ofstream out(copy.path_, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) return IOError("cannot write {}", copy.path_.string());
    return copy;
  }
  TemporaryCopy(TemporaryCopy&& other) noexcept : path_(std::move(other.path_)) {
    other.path_.clear();
  }
  TemporaryCopy(const TemporaryCopy&) = delete;
  TemporaryCopy& operator=(const TemporaryCopy&) = delete;
  TemporaryCopy& operator=(TemporaryCopy&&) = delete;
  ~TemporaryCopy() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  explicit TemporaryCopy(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

}  // namespace

void HandleMappings(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status s = CheckParams(req, {}, &field); !s.ok()) return ReplyError(res, s, field);
  Result<std::vector<GovernedMapping>> mappings = [&] {
    CatalogSession session = hub.OpenCatalog();
    return session.governance().GovernedMappings();
  }();
  if (!mappings.ok()) return ReplyError(res, mappings.status());
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const GovernedMapping& m : *mappings) {
    if (m.source_system == "stream" || m.entity == "sample") continue;  // live, not files
    list.push_back(
        {{"mapping", m.mapping}, {"entity", m.entity}, {"source_system", m.source_system}});
  }
  ReplyJson(res, {{"mappings", std::move(list)}});
}

void HandleImport(RouteServices& s, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status st = CheckParams(req, {"mapping", "name", "dry_run"}, &field); !st.ok()) {
    return ReplyError(res, st, field);
  }
  const std::string name = req.Param("mapping");
  if (name.empty()) {
    return ReplyError(res, InvalidArgument("mapping: the name of one of the hub's mappings"),
                      "mapping");
  }
  const std::string dry = req.Param("dry_run");
  if (!dry.empty() && dry != "true" && dry != "false") {
    return ReplyError(res, InvalidArgument("dry_run must be true or false, not '{}'", dry),
                      "dry_run");
  }
  if (req.body.empty()) return ReplyError(res, InvalidArgument("the body is the file"), "body");
  Result<govern::Mapping> mapping = LastStoredMapping(s.hub, name);
  if (!mapping.ok()) return ReplyError(res, mapping.status(), "mapping");
  const std::string file = SafeName(req.HasParam("name") ? req.Param("name") : "upload");
  Result<TemporaryCopy> copy = TemporaryCopy::Write(s.hub.dir() / "tmp", file, req.body);
  if (!copy.ok()) return ReplyError(res, copy.status());
  pipeline::ImportOptions options;
  options.dry_run = dry == "true";
  options.source_object = file;
  Result<pipeline::ImportReport> report =
      pipeline::ImportFile(s.hub, *mapping, copy->path().string(), options);
  if (!report.ok()) {
    return ReplyError(
        res,
        report.status().WithContext(options.dry_run ? file : file + " (nothing of it was stored)"),
        "body");
  }
  if (!options.dry_run && report->batch_id) {
    if (Status audited = RecordAudit(s.hub, {req.user.empty() ? "api" : req.user,
                                             "import.batch",
                                             std::to_string(*report->batch_id),
                                             {{"file", file},
                                              {"mapping", report->mapping},
                                              {"accepted", report->accepted},
                                              {"quarantined", report->quarantined}}});
        !audited.ok()) {
      return ReplyError(res, audited.WithContext("imported, but recording it in the audit "
                                                 "ledger failed"));
    }
  }
  ReplyJson(res, ImportReportJson(*report));
}

}  // namespace fh::api
