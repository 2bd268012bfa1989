#pragma once
// A design plugin made by `npufi design build`, loaded at run time, and one instance of its model with
// the testbench. No Verilator header here: the plugin carries its own Verilator runtime.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "npufi/design_abi.h"

namespace npufi {

class DesignPlugin {
 public:
  // Throws DesignBuildError naming the plugin when it cannot be loaded, is not an npufi design plugin, was
  // built for another interface version, or from other inputs than `expected_digest`.
  static std::shared_ptr<const DesignPlugin> load(const std::string& path, const std::string& expected_digest);
  ~DesignPlugin();
  DesignPlugin(const DesignPlugin&) = delete;
  DesignPlugin& operator=(const DesignPlugin&) = delete;

  const DesignApi& api() const { return *api_; }
  const std::string& path() const { return path_; }

 private:
  DesignPlugin(void* handle, const DesignApi* api, std::string path);
  void* handle_;
  const DesignApi* api_;
  std::string path_;
};

struct DesignFile;

// The plugin of `design`'s up-to-date build in `out_dir` (the default folder when empty). Throws
// DesignBuildError when it is not built, stale or foreign.
std::shared_ptr<const DesignPlugin> load_built_design(const DesignFile& design, const std::string& out_dir = "");

// One Verilated model of the design with its testbench.
class DesignModel {
 public:
  explicit DesignModel(std::shared_ptr<const DesignPlugin> plugin);
  ~DesignModel();
  DesignModel(const DesignModel&) = delete;
  DesignModel& operator=(const DesignModel&) = delete;

  const DesignPlugin& plugin() const { return *plugin_; }
  // Throws std::runtime_error with the testbench's message.
  void load(const std::string& workload);
  void reset() { api().reset(instance_); }
  // One clock cycle; after_eval() runs after each of its two evaluations.
  template <class AfterEval>
  void step(AfterEval& after_eval) {
    api().step(instance_, [](void* f) { (*static_cast<AfterEval*>(f))(); }, &after_eval);
  }
  void step() { api().step(instance_, nullptr, nullptr); }
  void settle() { api().settle(instance_); }
  bool done() const { return api().done(instance_); }
  bool error() const { return api().error(instance_); }
  // Throw std::runtime_error with the testbench's message.
  std::vector<uint8_t> outputs() const;
  std::optional<int> classify(const std::vector<uint8_t>& outputs) const;

  struct Memory {
    std::string name;
    uint8_t* data = nullptr;
    size_t bytes = 0;
  };
  std::vector<Memory> memories() const;

  void save(std::vector<uint8_t>& out);
  void restore(const std::vector<uint8_t>& in) { api().restore(instance_, in.data(), in.size()); }
  bool find_var(const char* scope, const char* name, DesignVar& out) const {
    return api().find_var(instance_, scope, name, &out);
  }
  bool trace_open(const std::string& vcd_path) { return api().trace_open(instance_, vcd_path.c_str()); }
  void trace_dump(uint64_t time) { api().trace_dump(instance_, time); }
  void trace_close() { api().trace_close(instance_); }

 private:
  const DesignApi& api() const { return plugin_->api(); }
  std::shared_ptr<const DesignPlugin> plugin_;
  DesignInstance* instance_;
};

}  // namespace npufi
