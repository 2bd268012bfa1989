#include "rtl/design/design_plugin.h"

#include <dlfcn.h>

#include <stdexcept>

#include "rtl/design/design_build.h"

namespace npufi {

std::shared_ptr<const DesignPlugin> DesignPlugin::load(const std::string& path, const std::string& expected_digest) {
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) throw DesignBuildError(path + ": cannot load the design plugin: " + dlerror());
  using Entry = const DesignApi* (*)();
  const auto entry = reinterpret_cast<Entry>(dlsym(handle, kDesignApiSymbol));
  const DesignApi* api = entry ? entry() : nullptr;
  std::string problem;
  if (!api) problem = "is not an npufi design plugin (no " + std::string(kDesignApiSymbol) + ")";
  else if (api->abi_version != kDesignAbiVersion)
    problem = "was built for interface version " + std::to_string(api->abi_version) + ", this npufi has " +
              std::to_string(kDesignAbiVersion) + ": run `npufi design build` again";
  else if (expected_digest != api->digest)
    problem = "was built from other inputs (" + std::string(api->digest) + ", expected " + expected_digest +
              "): run `npufi design build` again";
  if (!problem.empty()) {
    dlclose(handle);
    throw DesignBuildError(path + ": the plugin " + problem);
  }
  return std::shared_ptr<const DesignPlugin>(new DesignPlugin(handle, api, path));
}

std::shared_ptr<const DesignPlugin> load_built_design(const DesignFile& design, const std::string& out_dir) {
  const BuiltDesign built = find_built_design(design, out_dir);
  return DesignPlugin::load(built.plugin, built.digest);
}

DesignPlugin::DesignPlugin(void* handle, const DesignApi* api, std::string path)
    : handle_(handle), api_(api), path_(std::move(path)) {}

DesignPlugin::~DesignPlugin() { dlclose(handle_); }

DesignModel::DesignModel(std::shared_ptr<const DesignPlugin> plugin)
    : plugin_(std::move(plugin)), instance_(plugin_->api().create()) {
  if (!instance_) throw std::runtime_error(plugin_->path() + ": the testbench could not be constructed");
}

DesignModel::~DesignModel() { api().destroy(instance_); }

void DesignModel::load(const std::string& workload) {
  if (!api().load(instance_, workload.c_str())) throw std::runtime_error(api().last_error(instance_));
}

std::vector<uint8_t> DesignModel::outputs() const {
  std::vector<uint8_t> out(64);
  int64_t size = api().outputs(instance_, out.data(), out.size());
  if (size > int64_t(out.size())) {
    out.resize(size_t(size));
    size = api().outputs(instance_, out.data(), out.size());
  }
  if (size < 0) throw std::runtime_error(std::string("the testbench's outputs(): ") + api().last_error(instance_));
  out.resize(size_t(size));
  return out;
}

std::optional<int> DesignModel::classify(const std::vector<uint8_t>& outputs) const {
  const int64_t c = api().classify(instance_, outputs.data(), outputs.size());
  if (c == -2) throw std::runtime_error(std::string("the testbench's classify(): ") + api().last_error(instance_));
  if (c < 0) return std::nullopt;
  return int(c);
}

std::vector<DesignModel::Memory> DesignModel::memories() const {
  std::vector<Memory> out(api().memory_count(instance_));
  for (size_t i = 0; i < out.size(); ++i) {
    const char* name = nullptr;
    api().memory(instance_, i, &name, &out[i].data, &out[i].bytes);
    out[i].name = name;
  }
  return out;
}

void DesignModel::save(std::vector<uint8_t>& out) {
  out.clear();
  api().save(
      instance_,
      [](void* context, const uint8_t* bytes, size_t size) {
        static_cast<std::vector<uint8_t>*>(context)->assign(bytes, bytes + size);
      },
      &out);
}

}  // namespace npufi
