#include "campaigns/cluster/open_transport.h"

#include <dlfcn.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace npufi {

namespace {

// The variable that says an MPI launcher started this process, if any.
const char* launcher_variable() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"})
    if (std::getenv(name)) return name;
  return nullptr;
}

}  // namespace

std::unique_ptr<Transport> open_cluster_transport() {
  const char* variable = launcher_variable();
  if (!variable) return nullptr;
  const char* size = std::getenv("OMPI_COMM_WORLD_SIZE");
  if (size && std::string(size) == "1") return nullptr;
  const std::string module = NPUFI_MPI_MODULE;
  if (module.empty())
    throw std::runtime_error(std::string("started by an MPI launcher (") + variable +
                             " is set), but this npufi was built without MPI (install libopenmpi-dev and build again)");
  // MPI's own components are modules that need libmpi's symbols: they must be global.
  void* handle = dlopen(module.c_str(), RTLD_NOW | RTLD_GLOBAL);
  if (!handle) throw std::runtime_error("cannot load npufi's MPI module: " + std::string(dlerror()));
  using Open = Transport* (*)(char*, unsigned long);
  const auto open = reinterpret_cast<Open>(dlsym(handle, "npufi_open_mpi_transport"));
  if (!open) throw std::runtime_error(module + " is not npufi's MPI module");
  char error[256] = "";
  std::unique_ptr<Transport> transport(open(error, sizeof error));
  if (!transport) throw std::runtime_error("MPI did not start: " + std::string(error));
  if (transport->size() == 1) transport.reset();  // a job of one rank is a plain run
  return transport;
}

}  // namespace npufi
