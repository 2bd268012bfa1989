#pragma once
// The settings of a hardening run, as one table of keys: `npufi harden` makes a flag of each
// (--search-rounds for search_rounds), a campaign file's [harden] table reads them as keys, and the
// database records the ones the method uses. Names, defaults and limits are written here only.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "models/hardening/optimizers.h"

namespace npufi {

// One hardening run: the model it reads, the file it writes, every hyper-parameter.
struct HardenJob {
  std::string model;        // the model file to harden
  std::string data;         // a data file (models/data_source.h); empty: Fashion-MNIST
  std::string out;          // the hardened model file
  std::string method;       // ranger, ftclipact, fitact, proact
  std::string granularity;  // layer, neuron, hybrid; empty: the method's default
  // The optimizers' numbers; resolve_harden_job sets its method and granularity from the two strings.
  HardenSettings settings;
  int train_images = 10000;       // from the front of the training split
  int validation_images = 2000;   // from its end
  int search_images = 500;        // ftclipact's scoring campaign: validation images,
  std::vector<double> search_bers = {1e-5, 3e-5, 1e-4};  // its BERs,
  int search_repetitions = 4;     // fault maps per BER
  std::string search_format = "fp32";  // and weight format
  int threads = 1;                // compute threads (not a key: the command's --threads)
};

template <class T>
using HardenField = T& (*)(HardenJob&);

// The accepted values of a number: [min, max], either end open.
struct HardenRange {
  double min = 0;
  double max = 0;
  bool min_open = false;
  bool max_open = false;
};

struct HardenKey {
  std::string name;  // campaign-file key; the flag is "--" + name with '-' for '_'
  std::string help;
  unsigned methods;  // bit i: used by HardenMethod(i)
  std::variant<HardenField<int>, HardenField<uint64_t>, HardenField<double>, HardenField<std::vector<double>>,
               HardenField<std::string>>
      field;
  HardenRange range;                 // numbers (each element of a list)
  std::vector<std::string> choices;  // strings
};

// Every key, in the order `npufi harden --help` lists them.
const std::vector<HardenKey>& harden_keys();
const HardenKey* find_harden_key(const std::string& name);
// The flag of a key: "--search-rounds" for search_rounds (also "--out" for out).
std::string harden_flag(const std::string& key);

// What is wrong with one key of a job: the key ("out" and "method" included) and a phrase to follow it,
// e.g. {"k", "is -1; must be > 0"}.
struct HardenKeyProblem {
  std::string key;
  std::string problem;
};

// Checks every key and the combinations (profile_images <= train_images, search_images <=
// validation_images, ftclipact takes granularity layer only, out is not the model, ...). Without a
// problem it sets job.settings.method and .granularity (the method's default when granularity is empty).
std::optional<HardenKeyProblem> resolve_harden_job(HardenJob& job);

// JSON of the resolved settings as stored with a hardening: method, granularity, mode and every key the
// method uses.
std::string harden_settings_json(const HardenJob& job);

}  // namespace npufi
