#include "optimize/mcda/judgements_yaml.h"

namespace fh::optimize {

Result<std::vector<Judgement>> ReadJudgements(const govern::YamlReader& reader,
                                              const YAML::Node& list, const std::string& file) {
  if (!list.IsSequence())
    return reader.Error(list, "weights.ahp: expected a list of [more, less, times] judgements");
  std::vector<Judgement> out;
  for (const auto& item : list) {
    if (!item.IsSequence() || item.size() != 3)
      return reader.Error(
          item,
          "weights.ahp: each judgement is [more important, less important, how many times (1–9)]");
    Judgement j;
    FH_ASSIGN_OR_RETURN(j.more, reader.Scalar(item[0], "weights.ahp"));
    FH_ASSIGN_OR_RETURN(j.less, reader.Scalar(item[1], "weights.ahp"));
    FH_ASSIGN_OR_RETURN(j.times, reader.Number(item[2], "weights.ahp"));
    j.where = fmt::format("{}:{}", file, item.Mark().line + 1);
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace fh::optimize
