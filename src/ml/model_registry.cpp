#include "ml/model_registry.h"

#include "ml/preprocess/preprocessing.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>

#include "common/enum_names.h"
#include "common/json_text.h"
#include "common/time.h"

namespace fh::ml {

namespace {

constexpr EnumNames<FeatureSpec::Kind, 5> kFeatureKindNames = {{
    {FeatureSpec::Kind::kColumn, "column"},
    {FeatureSpec::Kind::kExpression, "expr"},
    {FeatureSpec::Kind::kWindow, "window"},
    {FeatureSpec::Kind::kPosition, "position"},
    {FeatureSpec::Kind::kLag, "lag"},
}};

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

Result<RegisteredModel> FromStored(StoredModel row) {
  RegisteredModel m;
  m.id = row.id;
  m.name = std::move(row.name);
  m.version = row.version;
  m.kind = std::move(row.kind);
  FH_ASSIGN_OR_RETURN(m.task, ParseTask(row.task));
  m.stage = std::move(row.stage);
  m.spec = std::move(row.spec);
  FH_ASSIGN_OR_RETURN(m.features, FeaturesFromJson(row.features_json));
  m.threshold = row.threshold;
  m.report = std::move(row.report);
  m.preprocessing = std::move(row.preprocessing_json);
  m.training_rows = row.training_rows;
  const nlohmann::json batches = nlohmann::json::parse(row.training_batches_json, nullptr, false);
  if (!batches.is_array()) return Corruption("model {}: damaged training_batches", m.id);
  for (const auto& b : batches) {
    if (!b.is_number_integer()) return Corruption("model {}: damaged training_batches", m.id);
    m.training_batches.push_back(b.get<int64_t>());
  }
  m.created_at = row.created_at;
  FH_RETURN_IF_ERROR(ClassesFromJson(row.classes_json, m));
  m.data = std::move(row.data);
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
    nlohmann::json j = {{"kind", EnumToString(kFeatureKindNames, f.kind)}, {"name", f.name}};
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
      const Result<FeatureSpec::Kind> kind =
          EnumParse(kFeatureKindNames, "feature kind", f.at("kind").get<std::string>());
      if (!kind.ok()) return Corruption("model: damaged feature list: {}", kind.status().message());
      s.kind = *kind;
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

Result<RegisteredModel> ModelRegistry::RegisterTrainedOn(RegisteredModel m,
                                                         const std::vector<std::string>& tags) {
  FH_ASSIGN_OR_RETURN(m.training_batches, BatchesOfTags(tags));
  return Register(std::move(m));
}

Result<RegisteredModel> ModelRegistry::Register(RegisteredModel m) {
  StoredModel row;
  row.name = m.name;
  row.kind = m.kind;
  row.task = std::string(ToString(m.task));
  row.stage = "candidate";
  row.spec = m.spec;
  row.features_json = FeaturesJson(m.features);
  row.threshold = m.threshold;
  row.report = m.report;
  row.preprocessing_json = m.preprocessing;
  row.training_rows = m.training_rows;
  row.training_batches_json = JsonText(nlohmann::json(m.training_batches));
  row.classes_json = ClassesJson(m);
  row.data = m.data;
  row.created_at = NowNs();
  FH_ASSIGN_OR_RETURN(const StoredModel stored, store_.Insert(std::move(row)));
  m.id = stored.id;
  m.version = stored.version;
  m.created_at = stored.created_at;
  m.stage = stored.stage;
  return m;
}

Result<std::vector<RegisteredModel>> ModelRegistry::List(const std::string& name) {
  FH_ASSIGN_OR_RETURN(std::vector<StoredModel> rows, store_.List(name));
  std::vector<RegisteredModel> out;
  out.reserve(rows.size());
  for (StoredModel& row : rows) {
    FH_ASSIGN_OR_RETURN(RegisteredModel m, FromStored(std::move(row)));
    out.push_back(std::move(m));
  }
  return out;
}

Result<RegisteredModel> ModelRegistry::Get(const ModelRef& ref) {
  FH_ASSIGN_OR_RETURN(std::optional<StoredModel> row, store_.Find(ref.name, ref.version));
  if (!row) {
    return NotFound("no model {}{} in the hub (factoryhub model list)", ref.name,
                    ref.version ? fmt::format("@{}", *ref.version) : std::string());
  }
  return FromStored(std::move(*row));
}

Status ModelRegistry::Promote(const ModelRef& ref) {
  if (!ref.version) return InvalidArgument("promote needs NAME@VERSION");
  FH_ASSIGN_OR_RETURN(RegisteredModel m, Get(ref));
  return store_.Promote(m.name, m.id);
}

Result<std::vector<int64_t>> ModelRegistry::BatchesOfTags(const std::vector<std::string>& tags) {
  return store_.BatchesOfTags(tags);
}

std::string ExportModel(const RegisteredModel& m) {
  nlohmann::ordered_json j = {
      {"format", "factoryhub-model/1"},
      {"name", m.name},
      {"version", m.version},
      {"kind", m.kind},
      {"task", std::string(ToString(m.task))},
      {"spec", m.spec},
      {"features", nlohmann::json::parse(FeaturesJson(m.features))},
      {"threshold",
       m.threshold ? nlohmann::ordered_json(*m.threshold) : nlohmann::ordered_json(nullptr)},
      {"classes", nlohmann::json::parse(ClassesJson(m))},
      {"report", nlohmann::json::parse(m.report, nullptr, false)},
      {"preprocessing", m.preprocessing.empty()
                            ? nlohmann::ordered_json(nullptr)
                            : nlohmann::ordered_json::parse(m.preprocessing, nullptr, false)},
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
    if (j.contains("preprocessing") && !j.at("preprocessing").is_null()) {
      m.preprocessing = JsonText(j.at("preprocessing"));
    }
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
  FH_RETURN_IF_ERROR(Preprocessing::FromJson(m.preprocessing)
                         .status()
                         .WithContext(fmt::format("{}: field preprocessing", display_name)));
  return m;
}

}  // namespace fh::ml
