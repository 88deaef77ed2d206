// The networks of src/ml/network.h in libtorch: the only file of factoryhub that includes
// libtorch's headers, built as the plugin libfactoryhub-torch.so. Every torch error is
// caught here and returned as a message.
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>
#include <thread>

#include "ml/network.h"

namespace fh::ml {
namespace {

// The same generator as src/ml/split.cpp, so batch orders are the same on every machine.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  void Shuffle(std::vector<int64_t>& v) {
    for (size_t i = v.size(); i > 1; --i)
      std::swap(v[i - 1], v[Next() % i]);
  }

 private:
  uint64_t state_;
};

struct NetImpl : torch::nn::Module {
  explicit NetImpl(const NetworkConfig& c) : config(c) {
    const int64_t channels = c.inputs / c.steps;
    int64_t width = c.inputs;  // what the dense layers see
    if (c.kind == "cnn") {
      int64_t in = channels;
      for (int i = 0; i < c.conv_layers; ++i) {
        convs->push_back(torch::nn::Conv1d(
            torch::nn::Conv1dOptions(in, c.filters, c.kernel).padding(torch::kSame)));
        in = c.filters;
      }
      register_module("convs", convs);
      width = in * c.steps;
    } else if (c.kind == "lstm") {
      int64_t in = channels;
      for (int h : c.hidden) {
        lstms->push_back(torch::nn::LSTM(torch::nn::LSTMOptions(in, h).batch_first(true)));
        in = h;
      }
      register_module("lstms", lstms);
      width = in;
    }
    // An LSTM's layers are its hidden sizes; the others add dense layers of those sizes.
    if (c.kind != "lstm") {
      for (int h : c.hidden) {
        dense->push_back(torch::nn::Linear(width, h));
        width = h;
      }
    }
    dense->push_back(torch::nn::Linear(width, std::max(c.classes, 1)));
    register_module("dense", dense);
    if (c.dropout > 0) dropout = register_module("dropout", torch::nn::Dropout(c.dropout));
  }

  torch::Tensor forward(torch::Tensor x) {
    const int64_t n = x.size(0);
    const int64_t channels = config.inputs / config.steps;
    if (config.kind == "cnn") {
      x = x.view({n, channels, config.steps});
      for (const auto& conv : *convs)
        x = torch::relu(conv->as<torch::nn::Conv1d>()->forward(x));
      x = x.flatten(1);
    } else if (config.kind == "lstm") {
      // Rows hold channel after channel; the LSTM wants step after step.
      x = x.view({n, channels, config.steps}).transpose(1, 2);
      for (const auto& lstm : *lstms)
        x = std::get<0>(lstm->as<torch::nn::LSTM>()->forward(x));
      x = x.select(1, config.steps - 1);
    }
    for (size_t i = 0; i < dense->size(); ++i) {
      if (i > 0 || config.kind != "mlp") {
        if (dropout) x = dropout->forward(x);
      }
      x = dense[i]->as<torch::nn::Linear>()->forward(x);
      if (i + 1 < dense->size()) x = torch::relu(x);
    }
    return config.classes > 0 ? x : x.squeeze(1);
  }

  NetworkConfig config;
  torch::nn::ModuleList convs;
  torch::nn::ModuleList lstms;
  torch::nn::ModuleList dense;
  torch::nn::Dropout dropout{nullptr};
};
TORCH_MODULE(Net);

torch::Tensor FromRows(const std::vector<float>& x, int64_t cols) {
  // from_blob does not copy: clone so the tensor owns its values.
  return torch::from_blob(const_cast<float*>(x.data()),
                          {static_cast<int64_t>(x.size()) / cols, cols})
      .clone();
}

class TorchNetwork : public Network {
 public:
  explicit TorchNetwork(const NetworkConfig& config) : config_(config), net_(config) {}

  std::string Fit(const std::vector<float>& x, const std::vector<float>& y,
                  const std::vector<float>& weight, const std::vector<float>& valid_x,
                  const std::vector<float>& valid_y, NetworkFitLog* log) override {
    try {
      const torch::Tensor tx = FromRows(x, config_.inputs);
      const torch::Tensor ty = Targets(y);
      const torch::Tensor tw = torch::tensor(weight);
      const bool validate = !valid_y.empty();
      const torch::Tensor vx = validate ? FromRows(valid_x, config_.inputs) : torch::Tensor();
      const torch::Tensor vy = validate ? Targets(valid_y) : torch::Tensor();
      torch::optim::Adam adam(net_->parameters(), torch::optim::AdamOptions(config_.learning_rate));
      SplitMix64 rng(config_.seed ^ 0x6E6574776F726Bull);
      std::vector<int64_t> order(y.size());
      std::iota(order.begin(), order.end(), 0);
      double best = std::numeric_limits<double>::infinity();
      std::vector<torch::Tensor> best_state;
      int stale = 0, plateau = 0;
      double last_loss = 0;
      NetworkFitLog l;
      for (int epoch = 1; epoch <= config_.epochs; ++epoch) {
        net_->train();
        rng.Shuffle(order);
        // One gather per epoch; the batches are then views of it.
        const torch::Tensor idx =
            torch::from_blob(order.data(), {static_cast<int64_t>(order.size())}, torch::kInt64);
        const torch::Tensor ex = tx.index_select(0, idx);
        const torch::Tensor ey = ty.index_select(0, idx);
        const torch::Tensor ew = tw.index_select(0, idx);
        const auto rows = static_cast<int64_t>(order.size());
        for (int64_t b = 0; b < rows; b += config_.batch) {
          const int64_t n = std::min<int64_t>(config_.batch, rows - b);
          adam.zero_grad();
          const torch::Tensor loss =
              Loss(net_->forward(ex.narrow(0, b, n)), ey.narrow(0, b, n), ew.narrow(0, b, n));
          loss.backward();
          adam.step();
          last_loss = loss.item<double>();
        }
        l.epochs = epoch;
        // A diverged network would predict NaN everywhere: an error, not a model.
        if (!std::isfinite(last_loss)) return Diverged(epoch);
        if (!validate) continue;
        net_->eval();
        double v;
        {
          torch::NoGradGuard no_grad;
          v = Loss(net_->forward(vx), vy, torch::Tensor()).item<double>();
        }
        if (!std::isfinite(v)) return Diverged(epoch);
        if (v < best - 1e-5) {
          best = v;
          stale = 0;
          plateau = 0;
          l.best_epoch = epoch;
          l.best_validation_loss = v;
          best_state.clear();
          for (const torch::Tensor& p : net_->parameters())
            best_state.push_back(p.detach().clone());
        } else if (++stale >= config_.patience) {
          break;
        } else if (config_.lr_patience > 0 && ++plateau >= config_.lr_patience) {
          // On a plateau, smaller steps: Adam's learning rate times lr_factor.
          plateau = 0;
          for (torch::optim::OptimizerParamGroup& g : adam.param_groups()) {
            auto& o = static_cast<torch::optim::AdamOptions&>(g.options());
            o.lr(o.lr() * config_.lr_factor);
          }
          ++l.lr_reductions;
        }
      }
      if (!best_state.empty()) {
        torch::NoGradGuard no_grad;
        std::vector<torch::Tensor> params = net_->parameters();
        for (size_t i = 0; i < params.size(); ++i)
          params[i].copy_(best_state[i]);
      } else {
        l.best_epoch = l.epochs;
      }
      net_->eval();
      if (log) *log = l;
      return {};
    } catch (const std::exception& e) {
      return std::string("torch: ") + e.what();
    }
  }

  std::string Predict(const std::vector<float>& x, std::vector<float>* out) const override {
    try {
      torch::NoGradGuard no_grad;
      net_->eval();
      const torch::Tensor z = net_->forward(FromRows(x, config_.inputs)).contiguous();
      out->assign(z.data_ptr<float>(), z.data_ptr<float>() + z.numel());
      return {};
    } catch (const std::exception& e) {
      return std::string("torch: ") + e.what();
    }
  }

  std::string Attribute(const std::vector<float>& x, int steps, const std::vector<int64_t>& targets,
                        std::vector<float>* out) const override {
    try {
      net_->eval();
      const int64_t d = config_.inputs;
      const int64_t rows = static_cast<int64_t>(x.size()) / d;
      const torch::Tensor tx = FromRows(x, d);
      // Midpoints of the path 0 -> x; rows in chunks so a chunk's path stays small.
      const torch::Tensor alpha =
          (torch::arange(steps, torch::kFloat32) + 0.5f).div(static_cast<float>(steps));
      const int64_t chunk = std::max<int64_t>(1, 8192 / steps);
      out->assign(x.size(), 0);
      for (int64_t r = 0; r < rows; r += chunk) {
        const int64_t n = std::min(chunk, rows - r);
        const torch::Tensor part = tx.narrow(0, r, n);
        torch::Tensor path =
            (alpha.view({steps, 1, 1}) * part.unsqueeze(0)).reshape({steps * n, d}).detach();
        path.set_requires_grad(true);
        torch::Tensor output = net_->forward(path);
        if (config_.classes > 0) {
          // Each row's target logit, at every point of its path (steps x n, step-major).
          const torch::Tensor target =
              torch::tensor(std::vector<int64_t>(targets.begin() + r, targets.begin() + r + n))
                  .repeat({steps})
                  .unsqueeze(1);
          output = output.gather(1, target);
        }
        output.sum().backward();
        const torch::Tensor g = path.grad().view({steps, n, d}).mean(0);
        const torch::Tensor a = (g * part).contiguous();
        std::copy(a.data_ptr<float>(), a.data_ptr<float>() + n * d, out->begin() + r * d);
      }
      return {};
    } catch (const std::exception& e) {
      return std::string("torch: ") + e.what();
    }
  }

  std::string Save(std::string* bytes) const override {
    try {
      torch::serialize::OutputArchive archive;
      net_->save(archive);
      std::ostringstream s;
      archive.save_to(s);
      *bytes = s.str();
      return {};
    } catch (const std::exception& e) {
      return std::string("torch: ") + e.what();
    }
  }

  std::string Load(std::string_view bytes) {
    try {
      torch::serialize::InputArchive archive;
      std::istringstream s{std::string(bytes)};
      archive.load_from(s);
      net_->load(archive);
      net_->eval();
      return {};
    } catch (const std::exception& e) {
      return std::string("torch: ") + e.what();
    }
  }

 private:
  std::string Diverged(int epoch) const {
    return "training diverged at epoch " + std::to_string(epoch) +
           " (the loss is not a number): try a smaller learning_rate";
  }

  // Class indices as the integers cross-entropy wants; else the values.
  torch::Tensor Targets(const std::vector<float>& y) const {
    const torch::Tensor t = torch::tensor(y);
    return config_.classes > 0 ? t.to(torch::kInt64) : t;
  }

  torch::Tensor Loss(const torch::Tensor& out, const torch::Tensor& y,
                     const torch::Tensor& w) const {
    if (config_.classes > 0) {
      const torch::Tensor ce = torch::nn::functional::cross_entropy(
          out, y, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
      return w.defined() ? (ce * w).mean() : ce.mean();
    }
    if (config_.binary) return torch::binary_cross_entropy_with_logits(out, y, w);
    const torch::Tensor se = (out - y).square();
    return w.defined() ? (se * w).mean() : se.mean();
  }

  NetworkConfig config_;
  mutable Net net_;  // forward() is not const in libtorch
};

std::string CheckConfig(const NetworkConfig& c) {
  if (c.kind != "mlp" && c.kind != "cnn" && c.kind != "lstm") {
    return "network: unknown kind '" + c.kind + "'";
  }
  if (c.inputs <= 0 || c.steps <= 0 || c.inputs % c.steps != 0) {
    return "network: " + std::to_string(c.inputs) + " inputs are not whole channels of " +
           std::to_string(c.steps) + " steps";
  }
  if (c.kind == "lstm" && c.hidden.empty()) return "network: an lstm needs a hidden size";
  if (c.classes == 1 || c.classes < 0) return "network: a multi-class network needs 2 classes";
  return {};
}

// Torch's intra-op threads, as the config says (NeuralModel resolves 0). Set when a network
// is created (a loaded one keeps the process's setting: its predictions are then bit for bit
// those of the network it was saved from in the same process).
void UseThreads(const NetworkConfig& config) {
  torch::set_num_threads(std::max(1, config.threads));
}

class TorchBackend : public NetworkBackend {
 public:
  std::string Create(const NetworkConfig& config, std::unique_ptr<Network>* out) override {
    if (std::string e = CheckConfig(config); !e.empty()) return e;
    try {
      // The initial weights come from torch's global generator.
      torch::manual_seed(config.seed);
      UseThreads(config);
      *out = std::make_unique<TorchNetwork>(config);
      return {};
    } catch (const std::exception& e) {
      return std::string("torch: ") + e.what();
    }
  }

  std::string Load(const NetworkConfig& config, std::string_view bytes,
                   std::unique_ptr<Network>* out) override {
    if (std::string e = CheckConfig(config); !e.empty()) return e;
    try {
      auto n = std::make_unique<TorchNetwork>(config);
      if (std::string e = n->Load(bytes); !e.empty()) return e;
      *out = std::move(n);
      return {};
    } catch (const std::exception& e) {
      return std::string("torch: ") + e.what();
    }
  }
};

}  // namespace
}  // namespace fh::ml

extern "C" fh::ml::NetworkBackend* fh_network_backend() {
  static fh::ml::TorchBackend backend;
  return &backend;
}
