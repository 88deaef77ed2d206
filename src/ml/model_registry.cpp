#include "ml/model_registry.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>

#include "common/json_text.h"
#include "common/time.h"

namespace fh::ml {

namespace {

constexpr const char* kColumns =
    "id, name, version, kind, task, stage, spec, features, threshold, report, training_rows, "
    "training_batches, created_at, classes";

std::string_view KindName(FeatureSpec::Kind k) {
  switch (k) {
    case FeatureSpec::Kind::kColumn:
      return "column";
    case FeatureSpec::Kind::kExpression:
      return "expr";
    case FeatureSpec::Kind::kWindow:
      return "window";
    case FeatureSpec::Kind::kPosition:
      return "position";
    case FeatureSpec::Kind::kLag:
      return "lag";
  }
  return "column";
}

// {"names": [...], "normal": "..."}, or empty for models without classes.
std::string ClassesJson(const RegisteredModel& m) {
  if (m.classes.empty()) return "{}";
  return JsonText(nlohmann::json{{"names", m.classes}, {"normal", m.normal_class}});
}

Status ClassesFromJson(std::string_view text, RegisteredModel& m) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return Corruption("model {}: damaged classes", m.id);
  try {
    if (j.contains("names")) m.classes = j.at("names").get<std::vector<std::string>>();
    m.normal_class = j.value("normal", "");
  } catch (const nlohmann::json::exception&) {
    return Corruption("model {}: damaged classes", m.id);
  }
  if (m.task == Task::kMulticlass && m.classes.size() < 2) {
    return Corruption("model {}: a multi-class model without its classes", m.id);
  }
  return Status::Ok();
}

Result<RegisteredModel> ReadRow(const sqlite::Stmt& st, bool with_data) {
  RegisteredModel m;
  m.id = st.Int(0);
  m.name = std::string(st.Text(1));
  m.version = st.Int(2);
  m.kind = std::string(st.Text(3));
  FH_ASSIGN_OR_RETURN(m.task, ParseTask(st.Text(4)));
  m.stage = std::string(st.Text(5));
  m.spec = std::string(st.Text(6));
  FH_ASSIGN_OR_RETURN(m.features, FeaturesFromJson(st.Text(7)));
  m.threshold = st.OptDouble(8);
  m.report = std::string(st.Text(9));
  m.training_rows = st.Int(10);
  const nlohmann::json batches = nlohmann::json::parse(st.Text(11), nullptr, false);
  if (!batches.is_array()) return Corruption("model {}: damaged training_batches", m.id);
  for (const auto& b : batches) {
    if (!b.is_number_integer()) return Corruption("model {}: damaged training_batches", m.id);
    m.training_batches.push_back(b.get<int64_t>());
  }
  m.created_at = st.Int(12);
  FH_RETURN_IF_ERROR(ClassesFromJson(st.Text(13), m));
  if (with_data) m.data = std::string(st.Blob(14));
  return m;
}

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Base64(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  for (size_t i = 0; i < in.size(); i += 3) {
    uint32_t v = static_cast<uint8_t>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<uint8_t>(in[i + 1]) << 8;
    if (i + 2 < in.size()) v |= static_cast<uint8_t>(in[i + 2]);
    out += kBase64[(v >> 18) & 63];
    out += kBase64[(v >> 12) & 63];
    out += i + 1 < in.size() ? kBase64[(v >> 6) & 63] : '=';
    out += i + 2 < in.size() ? kBase64[v & 63] : '=';
  }
  return out;
}

std::optional<std::string> FromBase64(std::string_view in) {
  if (in.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(in.size() / 4 * 3);
  for (size_t i = 0; i < in.size(); i += 4) {
    uint32_t v = 0;
    int pad = 0;
    for (size_t k = 0; k < 4; ++k) {
      const char c = in[i + k];
      uint32_t d = 0;
      if (c == '=' && i + 4 == in.size() && k >= 2) {
        ++pad;
      } else {
        const char* at = std::strchr(kBase64, c);
        if (c == '\0' || at == nullptr || pad) return std::nullopt;
        d = static_cast<uint32_t>(at - kBase64);
      }
      v = v << 6 | d;
    }
    out += static_cast<char>(v >> 16);
    if (pad < 2) out += static_cast<char>(v >> 8 & 255);
    if (pad < 1) out += static_cast<char>(v & 255);
  }
  return out;
}

}  // namespace

Result<ModelRef> ParseModelRef(std::string_view text) {
  ModelRef ref;
  const size_t at = text.find('@');
  ref.name = std::string(text.substr(0, at));
  if (ref.name.empty()) return InvalidArgument("model '{}': expected NAME or NAME@VERSION", text);
  if (at != std::string_view::npos) {
    const std::string v(text.substr(at + 1));
    char* end = nullptr;
    const long long n = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || n < 1) {
      return InvalidArgument("model '{}': the version after '@' is a number from 1", text);
    }
    ref.version = n;
  }
  return ref;
}

std::string FeaturesJson(const std::vector<FeatureSpec>& features) {
  nlohmann::json out = nlohmann::json::array();
  for (const FeatureSpec& f : features) {
    nlohmann::json j = {{"kind", KindName(f.kind)}, {"name", f.name}};
    if (f.kind == FeatureSpec::Kind::kColumn || f.kind == FeatureSpec::Kind::kWindow ||
        f.kind == FeatureSpec::Kind::kLag) {
      j["column"] = f.column;
    }
    if (f.kind == FeatureSpec::Kind::kLag) j["lag"] = f.lag;
    if (f.kind == FeatureSpec::Kind::kExpression) j["expr"] = f.expr;
    if (f.kind == FeatureSpec::Kind::kWindow) {
      j["window"] = f.window;
      j["stat"] = f.stat;
    }
    out.push_back(std::move(j));
  }
  return JsonText(out);
}

Result<std::vector<FeatureSpec>> FeaturesFromJson(std::string_view json) {
  const nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_array()) return Corruption("model: damaged feature list");
  std::vector<FeatureSpec> out;
  try {
    for (const auto& f : j) {
      FeatureSpec s;
      const std::string kind = f.at("kind").get<std::string>();
      s.kind = kind == "expr"       ? FeatureSpec::Kind::kExpression
               : kind == "window"   ? FeatureSpec::Kind::kWindow
               : kind == "position" ? FeatureSpec::Kind::kPosition
               : kind == "lag"      ? FeatureSpec::Kind::kLag
                                    : FeatureSpec::Kind::kColumn;
      s.name = f.at("name").get<std::string>();
      s.column = f.value("column", "");
      s.expr = f.value("expr", "");
      s.window = f.value("window", 0);
      s.stat = f.value("stat", "");
      s.lag = f.value("lag", 0);
      out.push_back(std::move(s));
    }
  } catch (const nlohmann::json::exception&) {
    return Corruption("model: damaged feature list");
  }
  return out;
}

Result<RegisteredModel> ModelRegistry::Register(RegisteredModel m) {
  // The next version and its row in one transaction: two trainings of a name at once get
  // versions n and n + 1, not a conflict.
  FH_ASSIGN_OR_RETURN(sqlite::Transaction tx, sqlite::Transaction::Begin(db_));
  FH_ASSIGN_OR_RETURN(sqlite::Stmt next,
                      db_.Prepare("SELECT ifnull(max(version), 0) + 1 FROM model WHERE name = ?1"));
  next.Bind(1, std::string_view(m.name));
  FH_ASSIGN_OR_RETURN(bool row, next.Step());
  m.version = row ? next.Int(0) : 1;
  m.created_at = NowNs();
  m.stage = "candidate";
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_.Prepare("INSERT INTO model(name, version, kind, task, stage, spec, features, threshold, "
                  "report, training_rows, training_batches, data, created_at, classes) "
                  "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"));
  const std::string features = FeaturesJson(m.features);
  const std::string batches = JsonText(nlohmann::json(m.training_batches));
  const std::string classes = ClassesJson(m);
  st.Bind(1, std::string_view(m.name))
      .Bind(2, m.version)
      .Bind(3, std::string_view(m.kind))
      .Bind(4, ToString(m.task))
      .Bind(5, std::string_view(m.stage))
      .Bind(6, std::string_view(m.spec))
      .Bind(7, std::string_view(features))
      .Bind(8, m.threshold)
      .Bind(9, std::string_view(m.report))
      .Bind(10, m.training_rows)
      .Bind(11, std::string_view(batches))
      .BindBlob(12, std::string_view(m.data))
      .Bind(13, m.created_at)
      .Bind(14, std::string_view(classes));
  FH_RETURN_IF_ERROR(st.Step().status().WithContext(fmt::format("storing model {}", m.label())));
  m.id = db_.LastInsertRowId();
  FH_RETURN_IF_ERROR(tx.Commit());
  return m;
}

Result<std::vector<RegisteredModel>> ModelRegistry::List(const std::string& name) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st,
                      db_.Prepare(fmt::format("SELECT {} FROM model WHERE ?1 = '' OR name = ?1 "
                                              "ORDER BY name, version DESC",
                                              kColumns)));
  st.Bind(1, std::string_view(name));
  std::vector<RegisteredModel> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    FH_ASSIGN_OR_RETURN(RegisteredModel m, ReadRow(st, false));
    out.push_back(std::move(m));
  }
  return out;
}

Result<RegisteredModel> ModelRegistry::Get(const ModelRef& ref) {
  // A named version; else production first, then the newest.
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_.Prepare(fmt::format("SELECT {}, data FROM model WHERE name = ?1 AND "
                              "(?2 IS NULL OR version = ?2) "
                              "ORDER BY stage = 'production' DESC, version DESC LIMIT 1",
                              kColumns)));
  st.Bind(1, std::string_view(ref.name)).Bind(2, ref.version);
  FH_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) {
    return NotFound("no model {}{} in the hub (factoryhub model list)", ref.name,
                    ref.version ? fmt::format("@{}", *ref.version) : std::string());
  }
  return ReadRow(st, true);
}

Status ModelRegistry::Promote(const ModelRef& ref) {
  if (!ref.version) return InvalidArgument("promote needs NAME@VERSION");
  FH_ASSIGN_OR_RETURN(RegisteredModel m, Get(ref));
  FH_ASSIGN_OR_RETURN(sqlite::Transaction tx, sqlite::Transaction::Begin(db_));
  FH_ASSIGN_OR_RETURN(sqlite::Stmt archive,
                      db_.Prepare("UPDATE model SET stage = 'archived' "
                                  "WHERE name = ?1 AND stage = 'production'"));
  archive.Bind(1, std::string_view(m.name));
  FH_RETURN_IF_ERROR(archive.Step().status());
  FH_ASSIGN_OR_RETURN(sqlite::Stmt promote,
                      db_.Prepare("UPDATE model SET stage = 'production' WHERE id = ?1"));
  promote.Bind(1, m.id);
  FH_RETURN_IF_ERROR(promote.Step().status());
  return tx.Commit();
}

Result<std::vector<int64_t>> ModelRegistry::BatchesOfTags(const std::vector<std::string>& tags) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st,
                      db_.Prepare("SELECT DISTINCT s.batch_id FROM batch_series s "
                                  "JOIN tag t ON t.id = s.tag_id WHERE t.name = ?1"));
  std::vector<int64_t> out;
  for (const std::string& tag : tags) {
    st.Bind(1, std::string_view(tag));
    while (true) {
      FH_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out.push_back(st.Int(0));
    }
    st.Reset();
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string ExportModel(const RegisteredModel& m) {
  nlohmann::ordered_json j = {{"format", "factoryhub-model/1"},
                              {"name", m.name},
                              {"version", m.version},
                              {"kind", m.kind},
                              {"task", std::string(ToString(m.task))},
                              {"spec", m.spec},
                              {"features", nlohmann::json::parse(FeaturesJson(m.features))},
                              {"threshold", m.threshold ? nlohmann::ordered_json(*m.threshold)
                                                        : nlohmann::ordered_json(nullptr)},
                              {"classes", nlohmann::json::parse(ClassesJson(m))},
                              {"report", nlohmann::json::parse(m.report, nullptr, false)},
                              {"training_rows", m.training_rows},
                              {"training_batches", m.training_batches},
                              {"data", Base64(m.data)}};
  return JsonText(j, 1) + "\n";
}

Result<RegisteredModel> ImportModel(std::string_view json, std::string_view display_name) {
  // Parts of the file are written out again (JsonText recurses per level): bounded first.
  FH_RETURN_IF_ERROR(CheckJsonDepth(json, display_name));
  const nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("format", "") != "factoryhub-model/1") {
    return InvalidArgument("{}: not a model exported by factoryhub model export", display_name);
  }
  RegisteredModel m;
  try {
    m.name = j.at("name").get<std::string>();
    m.kind = j.at("kind").get<std::string>();
    FH_ASSIGN_OR_RETURN(m.task, ParseTask(j.at("task").get<std::string>()));
    m.spec = j.at("spec").get<std::string>();
    FH_ASSIGN_OR_RETURN(m.features, FeaturesFromJson(JsonText(j.at("features"))));
    if (!j.at("threshold").is_null()) m.threshold = j.at("threshold").get<double>();
    if (j.contains("classes")) {
      FH_RETURN_IF_ERROR(ClassesFromJson(JsonText(j.at("classes")), m));
    }
    if (m.task == Task::kMulticlass && m.classes.size() < 2) {
      return InvalidArgument("{}: field classes: a multi-class model needs its classes",
                             display_name);
    }
    m.report = JsonText(j.at("report"));
    m.training_rows = j.at("training_rows").get<int64_t>();
    m.training_batches = j.at("training_batches").get<std::vector<int64_t>>();
    std::optional<std::string> data = FromBase64(j.at("data").get<std::string>());
    if (!data) return InvalidArgument("{}: field data: not base64", display_name);
    m.data = std::move(*data);
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgument("{}: {}", display_name, e.what());
  }
  // The bytes must be a model of that kind: refuse a damaged file now, not at predict time.
  FH_RETURN_IF_ERROR(
      LoadModel(m.kind, m.task, m.data).status().WithContext(std::string(display_name)));
  return m;
}

}  // namespace fh::ml
