#include "ml/xgboost_model.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "common/usable_cores.h"
#include "ml/xgboost_api.h"

namespace fh::ml {

namespace {

// The API once loaded: a booster or a matrix exists only after GetXgboost() succeeded.
const XgboostApi& Xgb() {
  return **GetXgboost();
}

Status XgbError(std::string_view what) {
  return Internal("xgboost: {}: {}", what, Xgb().GetLastError());
}

#define FH_XGB(call, what) \
  if ((call) != 0) return XgbError(what)

// Owns a DMatrix; NaN marks a missing value.
class Matrix {
 public:
  ~Matrix() {
    if (handle_) Xgb().DMatrixFree(handle_);
  }
  Status Make(const Dataset& data) {
    // Rows copied in on every usable core: the plain XGDMatrixCreateFromMat takes one.
    FH_XGB(Xgb().DMatrixCreateFromMat_omp(data.x.data(), data.rows(), data.cols(), NAN, &handle_,
                                          static_cast<int>(UsableCores())),
           "creating the data matrix");
    return Status::Ok();
  }
  DMatrixHandle get() const { return handle_; }

 private:
  DMatrixHandle handle_ = nullptr;
};

// Every core the process may use: XGBoost parallelises within a fit, so one fold at a time
// already keeps them busy.
std::string DefaultThreads() {
  return std::to_string(UsableCores());
}

// What a spec does not set: the task's objective, the spec's seed, and the histogram method,
// which bins each feature once (256 quantile bins) instead of trying every distinct value
// as "exact" (XGBoost 1.7's "auto" on one machine) does: the C-MAPSS spec's 71 features x
// 20k rows went from 70 s to 7.5 s on 2 cores. The spec's own params replace any of these.
std::map<std::string, std::string> DefaultParams(Task task, const XgboostOptions& o,
                                                 size_t classes) {
  std::map<std::string, std::string> params = {
      {"objective", task == Task::kBinary       ? "binary:logistic"
                    : task == Task::kMulticlass ? "multi:softprob"
                                                : "reg:squarederror"},
      {"seed", std::to_string(o.seed)},
      {"verbosity", "0"},
      {"tree_method", "hist"},
      {"nthread", DefaultThreads()},
  };
  if (task == Task::kMulticlass) params["num_class"] = std::to_string(classes);
  return params;
}

}  // namespace

XgboostModel::XgboostModel(Task task, XgboostOptions options)
    : task_(task), options_(std::move(options)) {}

XgboostModel::~XgboostModel() {
  if (booster_) Xgb().BoosterFree(booster_);
}

Status XgboostModel::Fit(const Dataset& train) {
  if (train.rows() == 0) return InvalidArgument("xgboost: no training rows");
  FH_RETURN_IF_ERROR(GetXgboost().status());
  Matrix m;
  FH_RETURN_IF_ERROR(m.Make(train));
  std::vector<float> label(train.y.begin(), train.y.end());
  FH_XGB(Xgb().DMatrixSetFloatInfo(m.get(), "label", label.data(), label.size()), "setting labels");
  if (task_ != Task::kRegression && options_.balanced) {
    const std::vector<double> w = BalancedWeights(train.y);
    const std::vector<float> weight(w.begin(), w.end());
    FH_XGB(Xgb().DMatrixSetFloatInfo(m.get(), "weight", weight.data(), weight.size()),
           "setting weights");
  }
  if (booster_) Xgb().BoosterFree(booster_);
  booster_ = nullptr;
  DMatrixHandle dmats[] = {m.get()};
  FH_XGB(Xgb().BoosterCreate(dmats, 1, &booster_), "creating the booster");
  std::map<std::string, std::string> params = DefaultParams(task_, options_, train.classes.size());
  for (const auto& [k, v] : options_.params)
    params[k] = v;
  for (const auto& [k, v] : params) {
    if (Xgb().BoosterSetParam(booster_, k.c_str(), v.c_str()) != 0) {
      return InvalidArgument("xgboost: parameter {} = '{}': {}", k, v, Xgb().GetLastError());
    }
  }
  for (int round = 0; round < options_.rounds; ++round) {
    FH_XGB(Xgb().BoosterUpdateOneIter(booster_, round, m.get()), "training");
  }
  features_ = train.cols();
  return Status::Ok();
}

Result<std::vector<double>> XgboostModel::Run(const Dataset& data, int type) const {
  if (!booster_) return FailedPrecondition("xgboost: not fitted");
  if (data.cols() != features_) {
    return InvalidArgument("xgboost: {} features given, the model has {}", data.cols(), features_);
  }
  if (data.rows() == 0) return std::vector<double>();
  const std::string config =
      fmt::format(R"({{"type": {}, "training": false, "iteration_begin": 0, "iteration_end": 0, )"
                  R"("strict_shape": false, "cache_id": 0, "missing": NaN}})",
                  type);
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  Matrix m;
  if (type == 0) {
    // Predictions straight from the rows (no DMatrix copied first); contributions need one.
    const std::string values =
        fmt::format(R"({{"data": [{}, true], "shape": [{}, {}], "typestr": "<f4", "version": 3}})",
                    reinterpret_cast<uintptr_t>(data.x.data()), data.rows(), data.cols());
    FH_XGB(Xgb().BoosterPredictFromDense(booster_, values.c_str(), config.c_str(), nullptr, &shape,
                                         &dim, &result),
           "predicting");
  } else {
    FH_RETURN_IF_ERROR(m.Make(data));
    FH_XGB(
        Xgb().BoosterPredictFromDMatrix(booster_, m.get(), config.c_str(), &shape, &dim, &result),
        "predicting");
  }
  size_t n = 1;
  for (bst_ulong i = 0; i < dim; ++i)
    n *= shape[i];
  return std::vector<double>(result, result + n);
}

Result<std::vector<double>> XgboostModel::Predict(const Dataset& data) const {
  return Run(data, 0);
}

Result<std::vector<double>> XgboostModel::Contributions(const Dataset& data) const {
  FH_ASSIGN_OR_RETURN(std::vector<double> all, Run(data, 2));
  if (task_ != Task::kMulticlass) return all;
  // rows x classes x (features + 1): keep each row's most probable class.
  FH_ASSIGN_OR_RETURN(std::vector<double> p, Predict(data));
  const size_t rows = data.rows(), width = features_ + 1;
  const size_t classes = rows > 0 ? p.size() / rows : 0;
  const std::vector<int> best = MostProbable(p, classes);
  std::vector<double> out;
  out.reserve(rows * width);
  for (size_t i = 0; i < rows; ++i) {
    const auto at = all.begin() + static_cast<ptrdiff_t>((i * classes + best[i]) * width);
    out.insert(out.end(), at, at + static_cast<ptrdiff_t>(width));
  }
  return out;
}

std::vector<double> XgboostModel::FeatureImportance() const {
  std::vector<double> out(features_, 0);
  if (!booster_) return out;
  bst_ulong n_features = 0, dim = 0;
  const char** names = nullptr;
  const bst_ulong* shape = nullptr;
  const float* scores = nullptr;
  if (Xgb().BoosterFeatureScore(booster_, R"({"importance_type": "total_gain"})", &n_features,
                                &names, &dim, &shape, &scores) != 0) {
    return out;
  }
  // Features that never split are left out; the others are named f<index>.
  double sum = 0;
  for (bst_ulong i = 0; i < n_features; ++i) {
    const std::string_view name = names[i];
    if (name.size() < 2 || name[0] != 'f') continue;
    const size_t j = std::strtoul(names[i] + 1, nullptr, 10);
    if (j < out.size()) {
      out[j] = scores[i];
      sum += scores[i];
    }
  }
  if (sum > 0) {
    for (double& v : out)
      v /= sum;
  }
  return out;
}

std::string XgboostModel::FitSummary() const {
  return booster_ ? fmt::format("{} boosting rounds on the raw values (trees need no scaling)",
                                options_.rounds)
                  : std::string();
}

Result<std::string> XgboostModel::Save() const {
  if (!booster_) return FailedPrecondition("xgboost: not fitted");
  bst_ulong len = 0;
  const char* bytes = nullptr;
  FH_XGB(Xgb().BoosterSaveModelToBuffer(booster_, R"({"format": "ubj"})", &len, &bytes), "saving");
  return std::string(bytes, len);
}

Result<std::unique_ptr<XgboostModel>> XgboostModel::Load(Task task, std::string_view bytes) {
  FH_RETURN_IF_ERROR(GetXgboost().status());
  auto m = std::make_unique<XgboostModel>(task, XgboostOptions{});
  FH_XGB(Xgb().BoosterCreate(nullptr, 0, &m->booster_), "creating the booster");
  if (Xgb().BoosterLoadModelFromBuffer(m->booster_, bytes.data(), bytes.size()) != 0) {
    return Corruption("xgboost: the stored model cannot be read: {}", Xgb().GetLastError());
  }
  bst_ulong features = 0;
  FH_XGB(Xgb().BoosterGetNumFeature(m->booster_, &features), "reading the model");
  m->features_ = features;
  return m;
}

}  // namespace fh::ml
