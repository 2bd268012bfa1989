#include "tests/support/npufi_process.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "models/model.h"

namespace npufi::test {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::filesystem::path make_scratch_dir(const std::string& suite) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("npufi_" + suite + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  Model::create("lenet5", 11).save((dir / "lenet5.pt").string());
  return dir;
}

CliResult run_npufi(const std::filesystem::path& scratch_dir, const std::string& args, const std::string& env) {
  const std::filesystem::path out = scratch_dir / "stdout.txt", err = scratch_dir / "stderr.txt";
  const std::string command = env + " " + NPUFI_BINARY + " " + args + " >" + out.string() + " 2>" + err.string();
  const int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(out), read_file(err)};
}

}  // namespace npufi::test
