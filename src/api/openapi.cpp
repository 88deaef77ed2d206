#include "api/openapi.h"

#include <cctype>
#include <cstdlib>
#include <string>

#include <yaml-cpp/yaml.h>

#include "api/routes.h"
#include "security/role.h"

namespace fh::api {
namespace {

// A plain scalar as YAML 1.2's core schema reads it; quoted ones ("1", "true") stay text.
nlohmann::ordered_json Scalar(const YAML::Node& n) {
  const std::string& s = n.Scalar();
  if (n.Tag() == "!") return s;
  if (s == "true") return true;
  if (s == "false") return false;
  if (s == "null" || s == "~") return nullptr;
  if (!s.empty()) {
    char* end = nullptr;
    const long long i = std::strtoll(s.c_str(), &end, 10);
    if (*end == '\0') return i;
    const double d = std::strtod(s.c_str(), &end);
    if (*end == '\0' && (s.find_first_of("0123456789") != std::string::npos)) return d;
  }
  return s;
}

nlohmann::ordered_json ToJson(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: {
      nlohmann::ordered_json o = nlohmann::ordered_json::object();
      for (const auto& kv : n)
        o[kv.first.Scalar()] = ToJson(kv.second);
      return o;
    }
    case YAML::NodeType::Sequence: {
      nlohmann::ordered_json a = nlohmann::ordered_json::array();
      for (const auto& item : n)
        a.push_back(ToJson(item));
      return a;
    }
    case YAML::NodeType::Scalar:
      return Scalar(n);
    default:
      return nullptr;
  }
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Result<nlohmann::ordered_json> Build() {
  nlohmann::ordered_json doc;
  try {
    doc = ToJson(YAML::Load(std::string(kOpenApiYaml)));
  } catch (const YAML::Exception& e) {
    return InvalidArgument("api/openapi.yaml: {}", e.what());
  }
  const nlohmann::ordered_json error = {{"$ref", "#/components/responses/Error"}};
  for (const Route& r : Routes()) {
    if (r.summary.empty()) continue;  // compatibility routes (InfluxDB's) are not described
    const std::string path(r.path), method = Lower(r.method);
    if (!doc["paths"].contains(path) || !doc["paths"][path].contains(method)) continue;
    nlohmann::ordered_json& op = doc["paths"][path][method];
    op["summary"] = std::string(r.summary);
    op["x-permission"] = security::NeedName(r.need);
    op["x-by-scope"] = r.need.by_scope;
    if (r.need.is_public) {
      op["security"] = nlohmann::ordered_json::array();
    } else {
      op["security"] = {{{"bearer", nlohmann::ordered_json::array()}},
                        {{"basic", nlohmann::ordered_json::array()}},
                        {{"session", nlohmann::ordered_json::array()}}};
      op["responses"]["401"] = error;
      op["responses"]["403"] = error;
    }
    op["responses"]["400"] = error;
    op["responses"]["404"] = error;
  }
  return doc;
}

}  // namespace

const Result<nlohmann::ordered_json>& OpenApiDocument() {
  static const Result<nlohmann::ordered_json> doc = Build();
  return doc;
}

}  // namespace fh::api
