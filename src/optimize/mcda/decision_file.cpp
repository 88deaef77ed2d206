#include "optimize/mcda/decision_file.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/ranges.h>

#include "govern/yaml_reader.h"
#include "optimize/mcda/judgements_yaml.h"

namespace fh::optimize {

namespace {

using govern::YamlReader;

class DecisionReader : public YamlReader {
 public:
  using YamlReader::YamlReader;

  Result<DecisionFile> Read(const YAML::Node& root) const {
    DecisionFile d;
    if (!root.IsMap()) return Error(root, "expected criteria, weights and alternatives");
    FH_RETURN_IF_ERROR(
        CheckKeys(root, "decision", {"title", "criteria", "weights", "alternatives"}));
    if (root["title"]) {
      FH_ASSIGN_OR_RETURN(d.title, Scalar(root["title"], "title"));
    }
    const YAML::Node criteria = root["criteria"];
    if (!criteria || !criteria.IsSequence() || criteria.size() == 0)
      return Error(criteria ? criteria : root,
                   "criteria: expected a list of {name, benefit: true|false}");
    std::set<std::string> names;
    for (const auto& c : criteria) {
      FH_RETURN_IF_ERROR(CheckKeys(c, "criterion", {"name", "benefit"}));
      if (!c["name"]) return Error(c, "criterion: needs a name");
      Criterion criterion;
      FH_ASSIGN_OR_RETURN(criterion.name, Scalar(c["name"], "criterion.name"));
      if (!c["benefit"])
        return Error(
            c, fmt::format("criterion '{}': say benefit: true (more is better) or false (a cost)",
                           criterion.name));
      FH_ASSIGN_OR_RETURN(criterion.benefit, Bool(c["benefit"], "criterion.benefit"));
      if (!names.insert(criterion.name).second)
        return Error(c, fmt::format("criterion '{}' is listed twice", criterion.name));
      d.matrix.criteria.push_back(std::move(criterion));
    }
    const size_t n = d.matrix.criteria.size();
    std::vector<std::string> order;
    for (const Criterion& c : d.matrix.criteria)
      order.push_back(c.name);
    const YAML::Node weights = root["weights"];
    if (!weights) return Error(root, "weights: expected criterion: weight, or ahp: judgements");
    if (weights.IsMap() && weights["ahp"]) {
      FH_ASSIGN_OR_RETURN(std::vector<Judgement> judgements,
                          ReadJudgements(*this, weights["ahp"], name_));
      FH_ASSIGN_OR_RETURN(AhpWeights ahp, AhpFromJudgements(order, judgements));
      FH_RETURN_IF_ERROR(CheckConsistency(ahp));
      d.weights = ahp.weights;
      d.ahp = std::move(ahp);
    } else {
      if (!weights.IsMap())
        return Error(weights, "weights: expected criterion: weight, or ahp: judgements");
      d.weights.assign(n, 0);
      double sum = 0;
      for (const auto& kv : weights) {
        const std::string name = kv.first.as<std::string>();
        const auto it = std::find(order.begin(), order.end(), name);
        if (it == order.end())
          return Error(kv.first, fmt::format("weights: '{}' is not one of the criteria", name));
        FH_ASSIGN_OR_RETURN(double w, Number(kv.second, "weights." + name));
        if (!(w >= 0)) return Error(kv.second, fmt::format("weights.{}: must be ≥ 0", name));
        d.weights[it - order.begin()] = w;
        sum += w;
      }
      if (!(sum > 0)) return Error(weights, "weights: at least one must be above 0");
      for (double& w : d.weights)
        w /= sum;
    }
    const YAML::Node alternatives = root["alternatives"];
    if (!alternatives || !alternatives.IsMap() || alternatives.size() == 0)
      return Error(alternatives ? alternatives : root,
                   "alternatives: expected name: [one value per criterion]");
    for (const auto& kv : alternatives) {
      const std::string name = kv.first.as<std::string>();
      if (!kv.second.IsSequence() || kv.second.size() != n)
        return Error(kv.second,
                     fmt::format("alternative '{}': expected {} values, one per criterion ({})",
                                 name, n, fmt::join(order, ", ")));
      d.matrix.alternatives.push_back(name);
      for (size_t c = 0; c < n; ++c) {
        FH_ASSIGN_OR_RETURN(
            double v, Number(kv.second[c], fmt::format("alternative '{}', {}", name, order[c])));
        d.matrix.values.push_back(v);
      }
    }
    FH_RETURN_IF_ERROR(CheckDecisionMatrix(d.matrix, d.weights));
    return d;
  }
};

}  // namespace

Result<DecisionFile> ParseDecisionFile(const std::string& yaml, const std::string& file) {
  FH_ASSIGN_OR_RETURN(YAML::Node root, govern::LoadYaml(yaml, file));
  DecisionReader reader(file);
  try {
    return reader.Read(root);
  } catch (const YAML::Exception& e) {
    return reader.FromException(e);
  }
}

Result<DecisionFile> LoadDecisionFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("{}: cannot read the decision file", path);
  std::ostringstream text;
  text << in.rdbuf();
  return ParseDecisionFile(text.str(), path);
}

}  // namespace fh::optimize
