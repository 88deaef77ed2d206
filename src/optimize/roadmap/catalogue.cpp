#include "optimize/roadmap/catalogue.h"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "govern/yaml_reader.h"
#include "optimize/mcda/judgements_yaml.h"

namespace fh::optimize {

std::optional<size_t> CriterionIndex(std::string_view name) {
  for (size_t i = 0; i < kCriteria; ++i)
    if (kCriterionInfo[i].name == name) return i;
  return std::nullopt;
}

std::string_view FamilyLetter(Family f) {
  switch (f) {
    case Family::kData:
      return "D";
    case Family::kTechnology:
      return "T";
    case Family::kProcess:
      return "P";
    case Family::kTalent:
      return "S";
  }
  return "?";
}

std::string Catalogue::QuarterLabel(int index) const {
  const int q = start_quarter - 1 + index;
  return fmt::format("{}Q{}", start_year + q / 4, q % 4 + 1);
}

namespace {

using govern::YamlReader;

std::string LineOf(const std::string& file, const YAML::Node& node) {
  return fmt::format("{}:{}", file, node.Mark().line + 1);
}

class CatalogueReader : public YamlReader {
 public:
  explicit CatalogueReader(std::string file) : YamlReader(std::move(file)) {}

  // "2027Q3" → year 2027, quarter 3.
  Status Quarter(const YAML::Node& node, std::string_view what, int& year, int& quarter) const {
    FH_ASSIGN_OR_RETURN(std::string s, Scalar(node, what));
    if (s.size() != 6 || s[4] != 'Q' || s[5] < '1' || s[5] > '4' ||
        s.find_first_not_of("0123456789") != 4)
      return Error(node, fmt::format("{}: expected a quarter like 2027Q1, not '{}'", what, s));
    year = std::stoi(s.substr(0, 4));
    quarter = s[5] - '0';
    return Status::Ok();
  }

  Status NumberMap(const YAML::Node& node, std::string_view what,
                   std::map<std::string, double>& out, bool allow_gap = false) const {
    if (!node.IsMap()) return Error(node, fmt::format("{}: expected qualification: count", what));
    for (const auto& kv : node) {
      const std::string key = kv.first.as<std::string>();
      if (allow_gap && kv.second.IsScalar() && kv.second.Scalar() == "gap") {
        out[key] = kTrainTheGap;
        continue;
      }
      FH_ASSIGN_OR_RETURN(double v, Number(kv.second, fmt::format("{} '{}'", what, key)));
      if (!(v >= 0)) return Error(kv.second, fmt::format("{} '{}': must be ≥ 0", what, key));
      out[key] = v;
    }
    return Status::Ok();
  }

  Result<EffectSpec> Effect(const YAML::Node& node, std::string_view what) const {
    EffectSpec e;
    e.where = LineOf(name_, node);
    if (node.IsScalar()) {  // a bare number is an estimate
      FH_ASSIGN_OR_RETURN(e.estimate, Number(node, what));
      return e;
    }
    FH_RETURN_IF_ERROR(CheckKeys(node, what,
                                 {"estimate", "from", "asset", "reasons", "model", "mapping",
                                  "characteristic", "defects", "share"}));
    if (node["estimate"] && node["from"])
      return Error(node, fmt::format("{}: give either an estimate or what the hub measures "
                                     "(from:), not both",
                                     what));
    if (node["estimate"]) {
      FH_ASSIGN_OR_RETURN(e.estimate, Number(node["estimate"], fmt::format("{}.estimate", what)));
      return e;
    }
    if (!node["from"])
      return Error(node, fmt::format("{}: needs an estimate: or a from: (downtime, "
                                     "predictive_maintenance, scrap, completeness)",
                                     what));
    FH_ASSIGN_OR_RETURN(e.from, Scalar(node["from"], fmt::format("{}.from", what)));
    static const std::set<std::string> kFrom = {"downtime", "predictive_maintenance", "scrap",
                                                "completeness", "defects"};
    if (!kFrom.count(e.from))
      return Error(node["from"],
                   fmt::format("{}.from: unknown measurement '{}' (known: downtime, "
                               "predictive_maintenance, scrap, defects, completeness)",
                               what, e.from));
    if (node["asset"]) {
      FH_ASSIGN_OR_RETURN(e.asset, Scalar(node["asset"], fmt::format("{}.asset", what)));
    }
    if (node["reasons"]) {
      FH_ASSIGN_OR_RETURN(e.reasons, Strings(node["reasons"], fmt::format("{}.reasons", what)));
    }
    if (node["model"]) {
      FH_ASSIGN_OR_RETURN(e.model, Scalar(node["model"], fmt::format("{}.model", what)));
    }
    if (node["mapping"]) {
      FH_ASSIGN_OR_RETURN(e.mapping, Scalar(node["mapping"], fmt::format("{}.mapping", what)));
    }
    if (node["characteristic"]) {
      FH_ASSIGN_OR_RETURN(e.characteristic,
                          Scalar(node["characteristic"], fmt::format("{}.characteristic", what)));
    }
    if (node["defects"]) {
      FH_ASSIGN_OR_RETURN(e.defect_codes,
                          Strings(node["defects"], fmt::format("{}.defects", what)));
    }
    if (node["share"]) {
      FH_ASSIGN_OR_RETURN(e.share, Number(node["share"], fmt::format("{}.share", what)));
      if (!(e.share >= 0 && e.share <= 1))
        return Error(node["share"], fmt::format("{}.share: must lie in [0, 1]", what));
    }
    if ((e.from == "downtime" || e.from == "predictive_maintenance") && e.reasons.empty())
      return Error(node, fmt::format("{}: from: {} needs the stop reasons it removes (reasons:)",
                                     what, e.from));
    if (e.from == "predictive_maintenance" && e.model.empty())
      return Error(node,
                   fmt::format("{}: from: predictive_maintenance needs the model (model:)", what));
    if (e.from == "defects" && e.characteristic.empty())
      return Error(
          node,
          fmt::format("{}: from: defects needs the inspected characteristic (characteristic:)",
                      what));
    if (e.from == "completeness" && e.mapping.empty())
      return Error(node, fmt::format("{}: from: completeness needs the mapping (mapping:)", what));
    return e;
  }

  Result<Measure> ReadMeasure(const YAML::Node& node, const Catalogue& c) const {
    Measure m;
    m.where = LineOf(name_, node);
    FH_RETURN_IF_ERROR(
        CheckKeys(node, "measure",
                  {"id", "name", "family", "cost", "duration", "complexity", "people", "trains",
                   "requires", "excludes", "mandatory", "start", "effects"}));
    if (!node["id"]) return Error(node, "measure: needs an id");
    FH_ASSIGN_OR_RETURN(m.id, Scalar(node["id"], "id"));
    const std::string at = fmt::format("measure '{}'", m.id);
    m.name = m.id;
    if (node["name"]) {
      FH_ASSIGN_OR_RETURN(m.name, Scalar(node["name"], at + ".name"));
    }
    if (!node["family"]) return Error(node, at + ": needs a family (D, T, P or S)");
    FH_ASSIGN_OR_RETURN(std::string family, Scalar(node["family"], at + ".family"));
    if (family == "D")
      m.family = Family::kData;
    else if (family == "T")
      m.family = Family::kTechnology;
    else if (family == "P")
      m.family = Family::kProcess;
    else if (family == "S")
      m.family = Family::kTalent;
    else
      return Error(node["family"], fmt::format("{}.family: '{}' is not D (data), T (technology), "
                                               "P (process) or S (talent)",
                                               at, family));
    if (const YAML::Node cost = node["cost"]) {
      FH_RETURN_IF_ERROR(CheckKeys(cost, at + ".cost", {"one_off", "running"}));
      if (cost["one_off"]) {
        FH_ASSIGN_OR_RETURN(m.one_off, Number(cost["one_off"], at + ".cost.one_off"));
      }
      if (cost["running"]) {
        FH_ASSIGN_OR_RETURN(m.running, Number(cost["running"], at + ".cost.running"));
      }
      if (m.one_off < 0 || m.running < 0) return Error(cost, at + ".cost: costs must be ≥ 0");
    }
    if (node["duration"]) {
      FH_ASSIGN_OR_RETURN(int64_t d,
                          Integer(node["duration"], at + ".duration (quarters)", 1, c.quarters));
      m.duration = static_cast<int>(d);
    }
    if (node["complexity"]) {
      FH_ASSIGN_OR_RETURN(m.complexity, Number(node["complexity"], at + ".complexity"));
      if (m.complexity < 0 || m.complexity > 5)
        return Error(node["complexity"], at + ".complexity: 0 (none) to 5 (hard)");
    }
    if (node["people"]) FH_RETURN_IF_ERROR(NumberMap(node["people"], at + ".people", m.people));
    if (node["trains"]) {
      if (m.family != Family::kTalent)
        return Error(node["trains"], at + ".trains: only talent (S) measures train people");
      FH_RETURN_IF_ERROR(NumberMap(node["trains"], at + ".trains", m.trains, /*allow_gap=*/true));
    }
    if (node["requires"]) {
      FH_ASSIGN_OR_RETURN(m.requires_, Strings(node["requires"], at + ".requires"));
    }
    if (node["excludes"]) {
      FH_ASSIGN_OR_RETURN(m.excludes, Strings(node["excludes"], at + ".excludes"));
    }
    if (node["mandatory"]) {
      FH_ASSIGN_OR_RETURN(m.mandatory, Bool(node["mandatory"], at + ".mandatory"));
    }
    if (node["start"]) {
      int year = 0, quarter = 0;
      FH_RETURN_IF_ERROR(Quarter(node["start"], at + ".start", year, quarter));
      const int index = (year - c.start_year) * 4 + (quarter - c.start_quarter);
      if (index < 0 || index + m.duration > c.quarters)
        return Error(node["start"], fmt::format("{}.start: {} does not let it finish within the "
                                                "horizon {}…{}",
                                                at, node["start"].Scalar(), c.QuarterLabel(0),
                                                c.QuarterLabel(c.quarters - 1)));
      m.start = index;
    }
    if (const YAML::Node effects = node["effects"]) {
      if (!effects.IsMap()) return Error(effects, at + ".effects: expected criterion: effect");
      for (const auto& kv : effects) {
        const std::string name = kv.first.as<std::string>();
        const auto index = CriterionIndex(name);
        if (!index || !kCriterionInfo[*index].benefit)
          return Error(kv.first, fmt::format("{}.effects: '{}' is not a benefit criterion "
                                             "(efficiency, quality, data); costs go under cost: "
                                             "and complexity:",
                                             at, name));
        FH_ASSIGN_OR_RETURN(m.effects[*index], Effect(kv.second, at + ".effects." + name));
      }
    }
    return m;
  }

  Status ReadWeights(const YAML::Node& node, WeightsSpec& w) const {
    w.where = LineOf(name_, node);
    if (!node.IsMap())
      return Error(node, "weights: expected criterion: weight, or ahp: judgements");
    if (node["ahp"]) {
      FH_RETURN_IF_ERROR(CheckKeys(node, "weights", {"ahp"}));
      FH_ASSIGN_OR_RETURN(w.judgements, ReadJudgements(*this, node["ahp"], name_));
      return Status::Ok();
    }
    CriteriaValues v{};
    double sum = 0;
    for (const auto& kv : node) {
      const std::string name = kv.first.as<std::string>();
      const auto index = CriterionIndex(name);
      if (!index)
        return Error(kv.first, fmt::format("weights: unknown criterion '{}' (efficiency, quality, "
                                           "data, technology_cost, complexity, talent_cost)",
                                           name));
      FH_ASSIGN_OR_RETURN(v[*index], Number(kv.second, "weights." + name));
      if (!(v[*index] >= 0)) return Error(kv.second, "weights." + name + ": must be ≥ 0");
      sum += v[*index];
    }
    if (!(sum > 0)) return Error(node, "weights: at least one weight must be above 0");
    for (double& x : v)
      x /= sum;  // entered as shares or as points: only ratios matter
    w.direct = v;
    return Status::Ok();
  }

  Result<Catalogue> Read(const YAML::Node& root) const {
    Catalogue c;
    c.file = name_;
    if (!root.IsMap()) return Error(root, "expected a plan catalogue (horizon, budget, measures)");
    FH_RETURN_IF_ERROR(CheckKeys(
        root, "plan",
        {"title", "horizon", "currency", "budget", "baseline", "people", "weights", "measures"}));
    if (root["title"]) {
      FH_ASSIGN_OR_RETURN(c.title, Scalar(root["title"], "title"));
    }
    if (root["currency"]) {
      FH_ASSIGN_OR_RETURN(c.currency, Scalar(root["currency"], "currency"));
    }
    if (const YAML::Node h = root["horizon"]) {
      FH_RETURN_IF_ERROR(CheckKeys(h, "horizon", {"start", "quarters"}));
      if (h["start"])
        FH_RETURN_IF_ERROR(Quarter(h["start"], "horizon.start", c.start_year, c.start_quarter));
      if (h["quarters"]) {
        FH_ASSIGN_OR_RETURN(int64_t q, Integer(h["quarters"], "horizon.quarters", 1, 40));
        c.quarters = static_cast<int>(q);
      }
    }
    if (const YAML::Node b = root["budget"]) {
      FH_RETURN_IF_ERROR(CheckKeys(b, "budget", {"per_quarter", "total"}));
      if (b["per_quarter"]) {
        FH_ASSIGN_OR_RETURN(c.budget_per_quarter, Number(b["per_quarter"], "budget.per_quarter"));
      }
      if (b["total"]) {
        FH_ASSIGN_OR_RETURN(c.budget_total, Number(b["total"], "budget.total"));
      }
      if (c.budget_per_quarter < 0 || c.budget_total.value_or(0) < 0)
        return Error(b, "budget: must be ≥ 0");
    }
    if (const YAML::Node b = root["baseline"]) {
      FH_RETURN_IF_ERROR(CheckKeys(b, "baseline", {"window", "from", "to"}));
      if (b["window"]) {
        FH_ASSIGN_OR_RETURN(c.baseline_window, Scalar(b["window"], "baseline.window"));
      }
      if (b["from"]) {
        FH_ASSIGN_OR_RETURN(c.baseline_from, Scalar(b["from"], "baseline.from"));
      }
      if (b["to"]) {
        FH_ASSIGN_OR_RETURN(c.baseline_to, Scalar(b["to"], "baseline.to"));
      }
      if (b["window"] && b["from"]) return Error(b, "baseline: a window or a from, not both");
    }
    if (const YAML::Node p = root["people"]) {
      FH_RETURN_IF_ERROR(CheckKeys(p, "people", {"from", "project_share", "available"}));
      if (p["from"]) {
        FH_ASSIGN_OR_RETURN(std::string from, Scalar(p["from"], "people.from"));
        if (from != "hub")
          return Error(p["from"], "people.from: only 'hub' (the qualifications it holds)");
        c.people_from_hub = true;
      }
      if (p["project_share"]) {
        FH_ASSIGN_OR_RETURN(c.project_share, Number(p["project_share"], "people.project_share"));
        if (!(c.project_share > 0 && c.project_share <= 1))
          return Error(p["project_share"], "people.project_share: a share in (0, 1]");
      }
      if (p["available"])
        FH_RETURN_IF_ERROR(NumberMap(p["available"], "people.available", c.people_available));
    }
    if (root["weights"]) FH_RETURN_IF_ERROR(ReadWeights(root["weights"], c.weights));
    const YAML::Node list = root["measures"];
    if (!list || !list.IsSequence() || list.size() == 0)
      return Error(list ? list : root, "measures: expected a list of candidate measures");
    std::set<std::string> ids;
    for (const auto& item : list) {
      FH_ASSIGN_OR_RETURN(Measure m, ReadMeasure(item, c));
      if (!ids.insert(m.id).second)
        return Error(item["id"], fmt::format("measure '{}' is listed twice", m.id));
      c.measures.push_back(std::move(m));
    }
    for (size_t k = 0; k < c.measures.size(); ++k) {
      const Measure& m = c.measures[k];
      for (const auto* links : {&m.requires_, &m.excludes})
        for (const std::string& other : *links) {
          if (!ids.count(other))
            return InvalidArgument("{}: measure '{}' names '{}', which is not in the catalogue",
                                   m.where, m.id, other);
          if (other == m.id) return InvalidArgument("{}: measure '{}' names itself", m.where, m.id);
        }
    }
    return c;
  }
};

}  // namespace

Result<Catalogue> ParseCatalogue(const std::string& yaml, const std::string& file) {
  FH_ASSIGN_OR_RETURN(YAML::Node root, govern::LoadYaml(yaml, file));
  CatalogueReader reader(file);
  try {
    return reader.Read(root);
  } catch (const YAML::Exception& e) {
    return reader.FromException(e);
  }
}

Result<CriteriaValues> ParseWeightList(std::string_view text) {
  CriteriaValues w{};
  double sum = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    const std::string_view item = text.substr(pos, comma - pos);
    pos = comma + 1;
    if (item.empty()) continue;
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos)
      return InvalidArgument("weights: '{}' is not criterion=weight", item);
    const auto index = CriterionIndex(item.substr(0, eq));
    if (!index)
      return InvalidArgument(
          "weights: unknown criterion '{}' (efficiency, quality, data, technology_cost, "
          "complexity, talent_cost)",
          item.substr(0, eq));
    const std::string number(item.substr(eq + 1));
    char* end = nullptr;
    const double v = std::strtod(number.c_str(), &end);
    if (number.empty() || *end != '\0' || !(v >= 0) || !std::isfinite(v))
      return InvalidArgument("weights: {} = '{}' is not a number ≥ 0", item.substr(0, eq), number);
    w[*index] = v;
    sum += v;
  }
  if (!(sum > 0)) return InvalidArgument("weights: at least one weight must be above 0");
  for (double& x : w)
    x /= sum;
  return w;
}

Result<Catalogue> LoadCatalogue(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("{}: cannot read the plan catalogue", path);
  std::ostringstream text;
  text << in.rdbuf();
  return ParseCatalogue(text.str(), path);
}

}  // namespace fh::optimize
