#pragma once
// What the engine needs of a campaign on a model's tensors, weights or activations: made (and the spec
// checked against the model) before the database is opened; the fault-free results once trials are to
// run; a trial function per worker thread.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "db/store.h"

namespace npufi {

struct TensorTrials {
  std::vector<std::string> activation_layers;  // recorded with the campaign; empty for weight faults
  // Runs the fault-free model (with the prefix cache); notes go to the log.
  std::function<std::vector<db::GoldenRow>(std::ostream& log)> golden;
  // Called on each worker thread after golden(); the trial function of that worker.
  std::function<std::function<db::TrialRow(int64_t)>()> make_worker;
};

}  // namespace npufi
