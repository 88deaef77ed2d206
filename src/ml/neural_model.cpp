#include "ml/neural_model.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>
#include <utility>

#include "common/json_text.h"
#include "common/usable_cores.h"
#include "ml/network_backend.h"
#include "ml/split.h"

namespace fh::ml {

namespace {

Status NetworkError(const std::string& message) {
  return Internal("{}", message);
}

// Rows held out for early stopping: whole units when there are several, else rows (each
// class in proportion for class labels). Sorted.
std::vector<size_t> ValidationRows(const Dataset& d, double share, bool classes, uint64_t seed) {
  std::vector<size_t> out;
  if (share <= 0 || d.rows() < 20) return out;
  SplitMix64 rng(seed ^ 0x76616C6964ull);
  std::map<std::string, std::vector<size_t>> units;
  for (size_t i = 0; i < d.group.size(); ++i)
    units[d.group[i]].push_back(i);
  if (units.size() >= 5) {
    std::vector<const std::vector<size_t>*> order;
    for (const auto& [unit, rows] : units)
      order.push_back(&rows);
    Shuffle(order, rng);
    // At least one unit on each side.
    const size_t take =
        std::min(order.size() - 1,
                 static_cast<size_t>(std::ceil(share * static_cast<double>(order.size()))));
    for (size_t u = 0; u < take; ++u)
      out.insert(out.end(), order[u]->begin(), order[u]->end());
  } else {
    std::map<double, std::vector<size_t>> by_class;
    for (size_t i = 0; i < d.rows(); ++i)
      by_class[classes ? d.y[i] : 0].push_back(i);
    for (auto& [label, rows] : by_class) {
      Shuffle(rows, rng);
      const auto take = static_cast<size_t>(share * static_cast<double>(rows.size()));
      out.insert(out.end(), rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(take));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The rows of 0..n-1 not in `sorted`.
std::vector<size_t> Complement(const std::vector<size_t>& sorted, size_t n) {
  std::vector<size_t> out;
  out.reserve(n - sorted.size());
  for (size_t i = 0, h = 0; i < n; ++i) {
    if (h < sorted.size() && sorted[h] == i) {
      ++h;
    } else {
      out.push_back(i);
    }
  }
  return out;
}

// Rows `which` of the row-major `z` (d values a row), as the network's floats.
std::vector<float> GatherRows(const std::vector<double>& z, size_t d,
                              const std::vector<size_t>& which) {
  std::vector<float> out;
  out.reserve(which.size() * d);
  for (size_t i : which) {
    for (size_t j = 0; j < d; ++j)
      out.push_back(static_cast<float>(z[i * d + j]));
  }
  return out;
}

// The mean and standard deviation (1 if constant) of regression targets.
std::pair<double, double> MeanAndScale(const std::vector<double>& y) {
  double sum = 0, ss = 0;
  for (double v : y)
    sum += v;
  const double mean = sum / static_cast<double>(y.size());
  for (double v : y)
    ss += (v - mean) * (v - mean);
  const double sd = std::sqrt(ss / static_cast<double>(y.size()));
  return {mean, sd > 1e-12 ? sd : 1};
}

nlohmann::json ConfigJson(const NetworkConfig& c) {
  return {{"kind", c.kind},
          {"inputs", c.inputs},
          {"steps", c.steps},
          {"hidden", c.hidden},
          {"filters", c.filters},
          {"kernel", c.kernel},
          {"conv_layers", c.conv_layers},
          {"dropout", c.dropout},
          {"binary", c.binary},
          {"classes", c.classes}};
}

NetworkConfig ConfigFromJson(const nlohmann::json& j) {
  NetworkConfig c;
  c.kind = j.at("kind").get<std::string>();
  c.inputs = j.at("inputs").get<int>();
  c.steps = j.at("steps").get<int>();
  c.hidden = j.at("hidden").get<std::vector<int>>();
  c.filters = j.at("filters").get<int>();
  c.kernel = j.at("kernel").get<int>();
  c.conv_layers = j.at("conv_layers").get<int>();
  c.dropout = j.at("dropout").get<double>();
  c.binary = j.at("binary").get<bool>();
  c.classes = j.value("classes", 0);
  return c;
}

}  // namespace

NeuralModel::NeuralModel(Task task, NeuralOptions options)
    : task_(task), options_(std::move(options)) {}

NeuralModel::~NeuralModel() = default;

Result<std::vector<float>> NeuralModel::Inputs(const Dataset& data) const {
  if (!network_) return FailedPrecondition("{}: not fitted", kind());
  if (data.cols() != standardizer_.mean().size()) {
    return InvalidArgument("{}: the data has {} features, the model {}", kind(), data.cols(),
                           standardizer_.mean().size());
  }
  const std::vector<double> z = standardizer_.Transform(data);
  return std::vector<float>(z.begin(), z.end());
}

Status NeuralModel::Fit(const Dataset& train) {
  if (train.rows() == 0) return InvalidArgument("{}: no rows to fit", kind());
  FH_ASSIGN_OR_RETURN(NetworkBackend * backend, GetNetworkBackend());
  NetworkConfig config = options_.network;
  config.inputs = static_cast<int>(train.cols());
  config.binary = task_ == Task::kBinary;
  config.classes = task_ == Task::kMulticlass ? static_cast<int>(train.classes.size()) : 0;
  if (config.kind == "mlp") config.steps = 1;
  // An MLP's batches are too small to share; the sequence networks use every core.
  if (config.threads == 0)
    config.threads = config.kind == "mlp" ? 1 : static_cast<int>(UsableCores());
  if (config.steps < 1 || config.inputs % config.steps != 0) {
    return InvalidArgument("{}: {} features are not whole sequences of {} steps", kind(),
                           config.inputs, config.steps);
  }
  options_.network = config;
  standardizer_.Fit(train);
  y_mean_ = 0;
  y_scale_ = 1;
  if (task_ == Task::kRegression) std::tie(y_mean_, y_scale_) = MeanAndScale(train.y);
  const std::vector<size_t> held =
      ValidationRows(train, options_.validation, task_ != Task::kRegression, config.seed);
  const std::vector<size_t> fit_rows = Complement(held, train.rows());
  const std::vector<double> z = standardizer_.Transform(train);
  auto targets = [&](const std::vector<size_t>& rows) {
    std::vector<float> y;
    y.reserve(rows.size());
    for (size_t i : rows)
      y.push_back(static_cast<float>((train.y[i] - y_mean_) / y_scale_));
    return y;
  };
  const std::vector<float> y = targets(fit_rows);
  std::vector<float> weight(y.size(), 1.0f);
  if (options_.balanced && task_ != Task::kRegression) {
    const std::vector<double> w = BalancedWeights(std::vector<double>(y.begin(), y.end()));
    weight.assign(w.begin(), w.end());
  }
  std::unique_ptr<Network> network;
  if (std::string e = backend->Create(config, &network); !e.empty()) return NetworkError(e);
  if (std::string e = network->Fit(GatherRows(z, train.cols(), fit_rows), y, weight,
                                   GatherRows(z, train.cols(), held), targets(held), &log_);
      !e.empty()) {
    return NetworkError(e);
  }
  network_ = std::move(network);
  return FitImportance(z, train.rows());
}

std::string NeuralModel::FitSummary() const {
  if (log_.epochs == 0) return {};
  if (log_.best_epoch == log_.epochs && log_.epochs == options_.network.epochs) {
    return fmt::format(
        "inputs standardised by the training rows' means and deviations; {} epochs, all run "
        "(no early stop)",
        log_.epochs);
  }
  return fmt::format(
      "inputs standardised by the training rows' means and deviations; {} epochs run, the "
      "weights of epoch {} kept (validation loss {:.4g}){}",
      log_.epochs, log_.best_epoch, log_.best_validation_loss,
      log_.lr_reductions > 0 ? fmt::format("; learning rate lowered {} times", log_.lr_reductions)
                             : std::string());
}

Status NeuralModel::FitImportance(const std::vector<double>& z, size_t rows) {
  // Up to 512 training rows, evenly spaced.
  const size_t d = z.size() / rows;
  const size_t sample = std::min<size_t>(512, rows);
  std::vector<size_t> which(sample);
  for (size_t k = 0; k < sample; ++k)
    which[k] = k * rows / sample;
  FH_ASSIGN_OR_RETURN(std::vector<float> a, Attribute(GatherRows(z, d, which)));
  importance_.assign(d, 0);
  for (size_t k = 0; k < sample; ++k) {
    for (size_t j = 0; j < d; ++j)
      importance_[j] += std::abs(a[k * d + j]);
  }
  double total = 0;
  for (double v : importance_)
    total += v;
  for (double& v : importance_)
    v = total > 0 ? v / total : 0;
  return Status::Ok();
}

Result<std::vector<double>> NeuralModel::Predict(const Dataset& data) const {
  FH_ASSIGN_OR_RETURN(std::vector<float> x, Inputs(data));
  std::vector<float> z;
  if (std::string e = network_->Predict(x, &z); !e.empty()) return NetworkError(e);
  std::vector<double> out(z.begin(), z.end());
  if (task_ == Task::kMulticlass) {
    SoftmaxRows(out, outputs());
    return out;
  }
  for (double& v : out)
    v = task_ == Task::kBinary ? 1 / (1 + std::exp(-v)) : v * y_scale_ + y_mean_;
  return out;
}

Result<std::vector<float>> NeuralModel::Attribute(const std::vector<float>& x,
                                                  std::vector<int64_t>* targets) const {
  std::vector<int64_t> best;
  if (task_ == Task::kMulticlass) {
    std::vector<float> z;
    if (std::string e = network_->Predict(x, &z); !e.empty()) return NetworkError(e);
    for (int c : MostProbable(std::vector<double>(z.begin(), z.end()), outputs()))
      best.push_back(c);
  }
  std::vector<float> a;
  if (std::string e = network_->Attribute(x, options_.attribution_steps, best, &a); !e.empty()) {
    return NetworkError(e);
  }
  if (targets) *targets = std::move(best);
  return a;
}

Result<std::vector<double>> NeuralModel::Contributions(const Dataset& data) const {
  FH_ASSIGN_OR_RETURN(std::vector<float> x, Inputs(data));
  std::vector<int64_t> targets;
  FH_ASSIGN_OR_RETURN(std::vector<float> a, Attribute(x, &targets));
  std::vector<float> origin;
  if (std::string e = network_->Predict(std::vector<float>(data.cols(), 0), &origin); !e.empty()) {
    return NetworkError(e);
  }
  // Regression margins are in the target's units.
  const double scale = task_ == Task::kRegression ? y_scale_ : 1;
  const size_t d = data.cols();
  std::vector<double> out;
  out.reserve(data.rows() * (d + 1));
  for (size_t i = 0; i < data.rows(); ++i) {
    for (size_t j = 0; j < d; ++j)
      out.push_back(a[i * d + j] * scale);
    if (task_ == Task::kMulticlass) {
      out.push_back(origin[static_cast<size_t>(targets[i])]);
    } else {
      out.push_back(task_ == Task::kBinary ? origin[0] : origin[0] * y_scale_ + y_mean_);
    }
  }
  return out;
}

Result<std::string> NeuralModel::Save() const {
  if (!network_) return FailedPrecondition("{}: not fitted", kind());
  std::string weights;
  if (std::string e = network_->Save(&weights); !e.empty()) return NetworkError(e);
  const nlohmann::json header = {{"task", std::string(ToString(task_))},
                                 {"network", ConfigJson(options_.network)},
                                 {"mean", standardizer_.mean()},
                                 {"scale", standardizer_.scale()},
                                 {"y_mean", y_mean_},
                                 {"y_scale", y_scale_},
                                 {"importance", importance_}};
  return JsonText(header) + "\n" + weights;
}

Result<std::unique_ptr<NeuralModel>> NeuralModel::Load(Task task, std::string_view bytes) {
  const size_t newline = bytes.find('\n');
  if (newline == std::string_view::npos) return Corruption("network: the stored model is damaged");
  const nlohmann::json j =
      nlohmann::json::parse(bytes.substr(0, newline), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Corruption("network: the stored model is damaged");
  }
  NeuralOptions options;
  auto m = std::make_unique<NeuralModel>(task, options);
  try {
    m->options_.network = ConfigFromJson(j.at("network"));
    m->standardizer_.Set(j.at("mean").get<std::vector<double>>(),
                         j.at("scale").get<std::vector<double>>());
    m->y_mean_ = j.at("y_mean").get<double>();
    m->y_scale_ = j.at("y_scale").get<double>();
    m->importance_ = j.at("importance").get<std::vector<double>>();
  } catch (const nlohmann::json::exception&) {
    return Corruption("network: the stored model is damaged");
  }
  const size_t d = m->standardizer_.mean().size();
  if (m->standardizer_.scale().size() != d || m->importance_.size() != d ||
      static_cast<size_t>(m->options_.network.inputs) != d) {
    return Corruption("network: the stored model is damaged");
  }
  FH_ASSIGN_OR_RETURN(NetworkBackend * backend, GetNetworkBackend());
  std::unique_ptr<Network> network;
  if (std::string e = backend->Load(m->options_.network, bytes.substr(newline + 1), &network);
      !e.empty()) {
    return Corruption("network: the stored model is damaged ({})", e);
  }
  m->network_ = std::move(network);
  return m;
}

}  // namespace fh::ml
