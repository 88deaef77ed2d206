#include "optimize/setpoint/controls_spec.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "govern/expression.h"
#include "govern/yaml_reader.h"

namespace fh::optimize::setpoint {

double Control::lower() const {
  return lower_limit ? std::max(min, *lower_limit) : min;
}
double Control::upper() const {
  return upper_limit ? std::min(max, *upper_limit) : max;
}

namespace {

class ControlsParser : public govern::YamlReader {
 public:
  using YamlReader::YamlReader;

  Result<ControlsSpec> Parse(const std::string& text) const {
    FH_ASSIGN_OR_RETURN(YAML::Node root, govern::LoadYaml(text, name_));
    try {
      return Root(root);
    } catch (const YAML::Exception& e) {
      return FromException(e);
    }
  }

 private:
  Result<ControlsSpec> Root(const YAML::Node& root) const {
    if (!root.IsMap())
      return Error(root, "expected a controls spec (a mapping: model, controls, ...)");
    FH_RETURN_IF_ERROR(CheckKeys(root, "spec",
                                 {"model", "description", "controls", "context", "objective",
                                  "terms", "constraints", "search"}));
    ControlsSpec s;
    s.display_name = name_;
    // The model may come from elsewhere (optimize --model): checked when the search starts.
    if (root["model"]) {
      FH_ASSIGN_OR_RETURN(s.model, Scalar(root["model"], "model"));
    }
    if (!root["controls"]) {
      return Error(root, "missing 'controls' (the inputs to set, each with min and max)");
    }
    const YAML::Node controls = root["controls"];
    if (!controls.IsSequence() || controls.size() == 0) {
      return Error(controls, "controls: expected a list of { name, min, max }");
    }
    std::set<std::string> seen;
    for (size_t i = 0; i < controls.size(); ++i) {
      FH_ASSIGN_OR_RETURN(Control c, ControlAt(controls[i], i));
      if (!seen.insert(c.name).second) {
        return Error(controls[i]["name"],
                     fmt::format("controls[{}]: '{}' is listed twice", i, c.name));
      }
      s.controls.push_back(std::move(c));
    }
    if (root["context"]) FH_RETURN_IF_ERROR(Context(root["context"], seen, &s));
    if (root["objective"]) FH_RETURN_IF_ERROR(ObjectiveAt(root["objective"], &s.objective));
    if (root["terms"]) {
      const YAML::Node terms = root["terms"];
      if (!terms.IsSequence()) return Error(terms, "terms: expected a list");
      for (size_t i = 0; i < terms.size(); ++i) {
        FH_ASSIGN_OR_RETURN(Term t, TermAt(terms[i], i));
        s.terms.push_back(std::move(t));
      }
    }
    if (root["constraints"]) {
      const YAML::Node list = root["constraints"];
      if (!list.IsSequence()) return Error(list, "constraints: expected a list");
      for (size_t i = 0; i < list.size(); ++i) {
        FH_ASSIGN_OR_RETURN(Constraint c, ConstraintAt(list[i], i));
        s.constraints.push_back(std::move(c));
      }
    }
    if (root["search"]) FH_RETURN_IF_ERROR(Search(root["search"], &s.search));
    return s;
  }

  Result<Control> ControlAt(const YAML::Node& n, size_t i) const {
    const std::string where = fmt::format("controls[{}]", i);
    FH_RETURN_IF_ERROR(CheckKeys(
        n, where,
        {"name", "min", "max", "limits", "step", "integer", "current", "unit", "description"}));
    Control c;
    if (!n["name"]) return Error(n, where + ": missing 'name' (a column the model reads)");
    FH_ASSIGN_OR_RETURN(c.name, Scalar(n["name"], where + ": name"));
    const std::string at = fmt::format("{} ({})", where, c.name);
    if (!n["min"] || !n["max"]) {
      return Error(n, at + ": missing 'min' or 'max': every control needs bounds");
    }
    FH_ASSIGN_OR_RETURN(c.min, Number(n["min"], at + ": min"));
    FH_ASSIGN_OR_RETURN(c.max, Number(n["max"], at + ": max"));
    if (!(c.min <= c.max)) {
      return Error(n["min"], fmt::format("{}: min {} is above max {}", at, c.min, c.max));
    }
    if (const YAML::Node l = n["limits"]) {
      // [lower, upper], either null; or { lower, upper }.
      YAML::Node lower, upper;
      if (l.IsSequence() && l.size() == 2) {
        lower = l[0];
        upper = l[1];
      } else if (l.IsMap()) {
        FH_RETURN_IF_ERROR(CheckKeys(l, at + ": limits", {"lower", "upper", "kind"}));
        lower = l["lower"];
        upper = l["upper"];
      } else {
        return Error(l, at + ": limits: expected [lower, upper] or { lower, upper }");
      }
      if (lower && !lower.IsNull()) {
        FH_ASSIGN_OR_RETURN(c.lower_limit, Number(lower, at + ": limits: lower"));
      }
      if (upper && !upper.IsNull()) {
        FH_ASSIGN_OR_RETURN(c.upper_limit, Number(upper, at + ": limits: upper"));
      }
      if (!(c.lower() <= c.upper())) {
        return Error(
            l, fmt::format("{}: limits leave nothing of [{}, {}] to search", at, c.min, c.max));
      }
    }
    if (n["step"]) {
      FH_ASSIGN_OR_RETURN(const double step, Number(n["step"], at + ": step"));
      if (!(step > 0)) return Error(n["step"], at + ": step: expected a number above 0");
      c.step = step;
    }
    if (n["integer"]) {
      FH_ASSIGN_OR_RETURN(c.integer, Bool(n["integer"], at + ": integer"));
    }
    if (c.integer && !c.step) c.step = 1;
    if (c.integer && (*c.step != std::floor(*c.step) || c.min != std::floor(c.min))) {
      return Error(n, at + ": integer: min and step must be whole numbers");
    }
    if (n["current"]) {
      FH_ASSIGN_OR_RETURN(const double current, Number(n["current"], at + ": current"));
      c.current = current;
    }
    return c;
  }

  Status Context(const YAML::Node& n, const std::set<std::string>& controls,
                 ControlsSpec* s) const {
    FH_RETURN_IF_ERROR(CheckKeys(n, "context", {"equipment", "values"}));
    if (n["equipment"]) {
      FH_ASSIGN_OR_RETURN(s->equipment, Scalar(n["equipment"], "context: equipment"));
    }
    if (const YAML::Node values = n["values"]) {
      if (!values.IsMap()) return Error(values, "context: values: expected { column: value }");
      for (const auto& kv : values) {
        const std::string column = kv.first.as<std::string>();
        if (controls.count(column)) {
          return Error(kv.first, fmt::format("context: values: '{}' is a control: give where it "
                                             "runs now as the control's 'current'",
                                             column));
        }
        FH_ASSIGN_OR_RETURN(s->context[column], Number(kv.second, "context: values: " + column));
      }
    }
    return Status::Ok();
  }

  Status ObjectiveAt(const YAML::Node& n, Objective* o) const {
    FH_RETURN_IF_ERROR(
        CheckKeys(n, "objective", {"minimize", "maximize", "target", "class", "weight"}));
    const int given = (n["minimize"] ? 1 : 0) + (n["maximize"] ? 1 : 0) + (n["target"] ? 1 : 0);
    if (given > 1) return Error(n, "objective: one of minimize, maximize or target");
    for (const char* key : {"minimize", "maximize"}) {
      if (!n[key]) continue;
      FH_ASSIGN_OR_RETURN(const std::string what, Scalar(n[key], std::string("objective: ") + key));
      if (what != "risk" && what != "prediction") {
        return Error(n[key], fmt::format("objective: {}: '{}': risk (a classifier's probability) "
                                         "or prediction (a regression's value)",
                                         key, what));
      }
      o->goal = std::string_view(key) == "minimize" ? Objective::Goal::kMinimize
                                                    : Objective::Goal::kMaximize;
    }
    if (n["target"]) {
      FH_ASSIGN_OR_RETURN(o->target, Number(n["target"], "objective: target"));
      o->goal = Objective::Goal::kTarget;
    }
    if (n["class"]) {
      FH_ASSIGN_OR_RETURN(o->cls, Scalar(n["class"], "objective: class"));
    }
    if (n["weight"]) {
      FH_ASSIGN_OR_RETURN(o->weight, Number(n["weight"], "objective: weight"));
      if (!(o->weight >= 0)) return Error(n["weight"], "objective: weight: expected 0 or more");
    }
    return Status::Ok();
  }

  // An expression's text, compiled once here so that a typo is reported at its line.
  Result<std::string> ExpressionAt(const YAML::Node& n, const std::string& what) const {
    FH_ASSIGN_OR_RETURN(std::string text, Scalar(n, what));
    Result<govern::Expression> e = govern::Expression::Compile(text);
    if (!e.ok()) return Error(n, fmt::format("{}: {}", what, e.status().message()));
    return text;
  }

  Result<Term> TermAt(const YAML::Node& n, size_t i) const {
    const std::string where = fmt::format("terms[{}]", i);
    FH_RETURN_IF_ERROR(CheckKeys(n, where, {"name", "minimize", "maximize", "weight", "unit"}));
    Term t;
    if (!n["name"]) return Error(n, where + ": missing 'name'");
    FH_ASSIGN_OR_RETURN(t.name, Scalar(n["name"], where + ": name"));
    const std::string at = fmt::format("{} ({})", where, t.name);
    if (!n["minimize"] == !n["maximize"]) {
      return Error(n, at + ": give minimize: EXPR or maximize: EXPR");
    }
    t.maximize = static_cast<bool>(n["maximize"]);
    const YAML::Node e = t.maximize ? n["maximize"] : n["minimize"];
    FH_ASSIGN_OR_RETURN(t.expr, ExpressionAt(e, at + (t.maximize ? ": maximize" : ": minimize")));
    if (n["weight"]) {
      FH_ASSIGN_OR_RETURN(t.weight, Number(n["weight"], at + ": weight"));
      if (!(t.weight >= 0)) return Error(n["weight"], at + ": weight: expected 0 or more");
    }
    return t;
  }

  Result<Constraint> ConstraintAt(const YAML::Node& n, size_t i) const {
    const std::string where = fmt::format("constraints[{}]", i);
    FH_RETURN_IF_ERROR(CheckKeys(n, where, {"name", "expr", "min", "max", "unit"}));
    Constraint c;
    if (!n["expr"]) return Error(n, where + ": missing 'expr' (an expression of the inputs)");
    if (n["name"]) {
      FH_ASSIGN_OR_RETURN(c.name, Scalar(n["name"], where + ": name"));
    }
    const std::string at = c.name.empty() ? where : fmt::format("{} ({})", where, c.name);
    FH_ASSIGN_OR_RETURN(c.expr, ExpressionAt(n["expr"], at + ": expr"));
    if (c.name.empty()) c.name = c.expr;
    if (n["min"]) {
      FH_ASSIGN_OR_RETURN(c.min, Number(n["min"], at + ": min"));
    }
    if (n["max"]) {
      FH_ASSIGN_OR_RETURN(c.max, Number(n["max"], at + ": max"));
    }
    if (!c.min && !c.max) return Error(n, at + ": give min, max or both");
    if (c.min && c.max && *c.min > *c.max) {
      return Error(n["min"], fmt::format("{}: min {} is above max {}", at, *c.min, *c.max));
    }
    return c;
  }

  Status Search(const YAML::Node& n, SearchSettings* s) const {
    FH_RETURN_IF_ERROR(CheckKeys(n, "search", {"method", "evaluations", "seed", "tolerance"}));
    if (n["method"]) {
      FH_ASSIGN_OR_RETURN(const std::string m, Scalar(n["method"], "search: method"));
      if (m == "auto") {
        s->method = SearchSettings::Method::kAuto;
      } else if (m == "derivative-free") {
        s->method = SearchSettings::Method::kDerivativeFree;
      } else if (m == "gradient") {
        s->method = SearchSettings::Method::kGradient;
      } else {
        return Error(n["method"], fmt::format("search: method: unknown '{}' (auto, "
                                              "derivative-free, gradient)",
                                              m));
      }
    }
    if (n["tolerance"]) {
      FH_ASSIGN_OR_RETURN(s->tolerance, Number(n["tolerance"], "search: tolerance"));
      if (!(s->tolerance >= 0))
        return Error(n["tolerance"], "search: tolerance: expected 0 or more");
    }
    if (n["evaluations"]) {
      FH_ASSIGN_OR_RETURN(const int64_t e,
                          Integer(n["evaluations"], "search: evaluations", 50, 1000000));
      s->evaluations = static_cast<int>(e);
    }
    if (n["seed"]) {
      FH_ASSIGN_OR_RETURN(const int64_t seed, Integer(n["seed"], "search: seed", 0,
                                                      std::numeric_limits<int64_t>::max()));
      s->seed = static_cast<uint64_t>(seed);
    }
    return Status::Ok();
  }
};

}  // namespace

Result<ControlsSpec> ParseControlsSpec(const std::string& text, std::string_view display_name) {
  return ControlsParser(std::string(display_name)).Parse(text);
}

Result<ControlsSpec> LoadControlsSpec(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read the controls spec {}", path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseControlsSpec(ss.str(), path);
}

}  // namespace fh::optimize::setpoint
