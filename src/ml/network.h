// Neural networks, behind an interface that names no libtorch type. libtorch registers
// thousands of operators when it loads (0.7 s on the 2-core machine), so it lives in a
// plugin (src/ml/torch, libfactoryhub-torch.so) that the process loads on the first use of
// a network, not in every start of the CLI. Both sides are built together by the same
// compiler; no exception crosses the boundary: every call returns an error message, empty
// on success.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fh::ml {

struct NetworkConfig {
  std::string kind = "mlp";  // mlp, cnn (1-D convolutions over time), lstm
  int inputs = 0;            // features per row
  // cnn, lstm: a row is `inputs / steps` channels of `steps` values each, oldest first
  // (a feature `{sequence: steps, of: [...]}` lays them out so).
  int steps = 1;
  std::vector<int> hidden = {128, 64};  // mlp: dense layers; cnn: dense layers after the
                                        // convolutions; lstm: stacked LSTM layers' sizes
  int filters = 10;                     // cnn: per convolution
  int kernel = 10;                      // cnn: width in steps ('same' padding)
  int conv_layers = 4;                  // cnn
  double dropout = 0;                   // before each dense layer but the first
  bool binary = true;                   // binary cross-entropy on a logit, else MSE
  int classes = 0;   // 2 or more: that many logits, softmax cross-entropy (y: class indices)
  int epochs = 200;  // at most
  int batch = 64;
  double learning_rate = 1e-3;  // Adam
  int patience = 10;            // epochs without a better validation loss before stopping
  // The learning-rate schedule: after `lr_patience` epochs without a better validation loss
  // (0: never), the rate is multiplied by `lr_factor`, and again after as many more.
  int lr_patience = 0;
  double lr_factor = 0.5;
  uint64_t seed = 42;
  // Threads for libtorch's operators; 0: NeuralModel picks one for mlp (its batches are too
  // small to share) and the usable cores (common/usable_cores.h) for cnn and lstm.
  int threads = 0;
};

// One training run's story, for reports.
struct NetworkFitLog {
  int epochs = 0;      // run
  int best_epoch = 0;  // whose weights were kept (1-based)
  int lr_reductions = 0;
  double best_validation_loss = 0;
};

class Network {
 public:
  virtual ~Network() = default;
  // Rows are row-major `inputs` floats, already standardised, no NaN. `weight` has one value
  // per training row. Early stopping watches the loss on the validation rows and keeps
  // the weights of the best epoch; no validation rows: all `epochs` run.
  virtual std::string Fit(const std::vector<float>& x, const std::vector<float>& y,
                          const std::vector<float>& weight, const std::vector<float>& valid_x,
                          const std::vector<float>& valid_y, NetworkFitLog* log) = 0;
  // The output before the sigmoid (the logit) for binary networks, the value for
  // regression, `classes` logits a row (before the softmax) for multi-class.
  virtual std::string Predict(const std::vector<float>& x, std::vector<float>* out) const = 0;
  // Integrated gradients of an output from the all-zero input (the training mean) to each
  // row, `steps` points on the path: `inputs` values per row, summing (up to the path's
  // discretisation) to output(row) - output(0). The output is the only one, or, for
  // multi-class networks, the logit of the row's class in `targets`.
  virtual std::string Attribute(const std::vector<float>& x, int steps,
                                const std::vector<int64_t>& targets,
                                std::vector<float>* out) const = 0;
  virtual std::string Save(std::string* bytes) const = 0;
};

class NetworkBackend {
 public:
  virtual ~NetworkBackend() = default;
  virtual std::string Create(const NetworkConfig& config, std::unique_ptr<Network>* out) = 0;
  virtual std::string Load(const NetworkConfig& config, std::string_view bytes,
                           std::unique_ptr<Network>* out) = 0;
};

}  // namespace fh::ml

// The plugin's one entry point; the backend lives as long as the process.
extern "C" fh::ml::NetworkBackend* fh_network_backend();
