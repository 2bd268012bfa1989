#pragma once
// This process's part in an MPI job, when mpirun or srun started it as one of several ranks.
#include <memory>

#include "campaigns/cluster/transport.h"

namespace npufi {

// None for a process that no MPI launcher started (no OMPI_COMM_WORLD_SIZE, PMIX_RANK or PMI_RANK in the
// environment) or that is the only rank of its job. Otherwise loads npufi's MPI module and initializes
// MPI; throws std::runtime_error when this build has no MPI module or MPI cannot start.
std::unique_ptr<Transport> open_cluster_transport();

}  // namespace npufi
