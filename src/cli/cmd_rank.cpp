// factoryhub rank FILE [--json]
//
// Ranks discrete alternatives (which MES vendor, which sensor, which supplier) on several
// criteria by TOPSIS and by the weighted sum, with weights entered or derived from AHP
// judgements (optimize/mcda/).
#include "cli/command.h"
#include "cli/output.h"
#include "optimize/mcda/decision_file.h"

namespace fh::cli {
namespace {

using namespace optimize;

struct RankCli {
  std::string file;
  bool json = false;
};

Status Run(const RankCli& o) {
  FH_ASSIGN_OR_RETURN(DecisionFile d, LoadDecisionFile(o.file));
  FH_ASSIGN_OR_RETURN(std::vector<RankedAlternative> topsis, Topsis(d.matrix, d.weights));
  FH_ASSIGN_OR_RETURN(std::vector<RankedAlternative> sum, WeightedSum(d.matrix, d.weights));
  if (o.json) {
    nlohmann::ordered_json weights = nlohmann::ordered_json::object();
    for (size_t c = 0; c < d.weights.size(); ++c)
      weights[d.matrix.criteria[c].name] = d.weights[c];
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (size_t a = 0; a < topsis.size(); ++a)
      rows.push_back({{"alternative", topsis[a].name},
                      {"topsis",
                       {{"closeness", topsis[a].score},
                        {"rank", topsis[a].rank},
                        {"distance_to_ideal", topsis[a].distance_to_ideal},
                        {"distance_to_anti_ideal", topsis[a].distance_to_anti_ideal}}},
                      {"weighted_sum", {{"score", sum[a].score}, {"rank", sum[a].rank}}}});
    nlohmann::ordered_json doc = {{"title", d.title}, {"weights", weights}, {"alternatives", rows}};
    if (d.ahp)
      doc["ahp"] = {{"lambda_max", d.ahp->lambda_max},
                    {"consistency_index", d.ahp->consistency_index},
                    {"consistency_ratio", d.ahp->consistency_ratio}};
    PrintJson(doc);
    return Status::Ok();
  }
  if (!d.title.empty()) fmt::print("{}\n", d.title);
  fmt::print(
      "Weights{}:",
      d.ahp ? fmt::format(" (AHP, consistency ratio {:.3f})", d.ahp->consistency_ratio) : "");
  for (size_t c = 0; c < d.weights.size(); ++c)
    fmt::print(" {} {:.3f}{}", d.matrix.criteria[c].name, d.weights[c],
               d.matrix.criteria[c].benefit ? "" : " (cost)");
  fmt::print("\n");
  Table t({{"alternative"},
           {"TOPSIS closeness", true},
           {"rank", true},
           {"weighted sum", true},
           {"rank", true}});
  for (size_t a = 0; a < topsis.size(); ++a)
    t.AddRow({topsis[a].name, fmt::format("{:.4f}", topsis[a].score),
              std::to_string(topsis[a].rank), fmt::format("{:.4f}", sum[a].score),
              std::to_string(sum[a].rank)});
  t.Print();
  return Status::Ok();
}

}  // namespace

Command RegisterRank(CLI::App& parent) {
  auto o = std::make_shared<RankCli>();
  CLI::App* sub = parent.add_subcommand("rank",
                                        "Rank alternatives on several criteria by TOPSIS and the "
                                        "weighted sum (weights entered or by AHP)");
  sub->add_option(
         "file", o->file,
         "The decision: criteria (benefit or cost), weights or AHP judgements, alternatives")
      ->required();
  AddJsonOption(sub, &o->json);
  sub->footer(
      "Example:\n"
      "  factoryhub rank examples/decide/fighter-aircraft.yaml\n"
      "The file's format: docs/optimize.md#ranking-alternatives.");
  return {sub, [o] { return Run(*o); }};
}

}  // namespace fh::cli
