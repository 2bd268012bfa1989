#include "tests/support/npufi_process.h"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>
#include <fstream>
#include <sstream>

#include "db/store.h"
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

namespace {

int64_t stored_results(db::Store& store) {
  return int64_t(store.completed_trials(1).size() + store.completed_injections(1).size());
}

}  // namespace

int64_t stored_trials(const std::filesystem::path& db) {
  db::Store store = db::Store::open(db.string(), db::Store::Mode::read_only);
  return stored_results(store);
}

pid_t start_campaign_and_wait(const std::filesystem::path& file, const std::filesystem::path& db, int64_t trials) {
  const pid_t child = fork();
  if (child == 0) {
    const std::string target = db.string();
    execl(NPUFI_BINARY, NPUFI_BINARY, "campaign", "run", file.c_str(), "--db", target.c_str(), "--threads", "2", nullptr);
    _exit(127);
  }
  for (int i = 0; i < 6000; ++i) {  // up to 5 minutes, for a loaded machine
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (!std::filesystem::exists(db)) continue;
    try {
      db::Store store = db::Store::open(db.string(), db::Store::Mode::read_only);
      if (!store.campaigns().empty() && stored_results(store) >= trials) break;
    } catch (const db::DbError&) {
      // The writer may hold the database for a moment.
    }
  }
  return child;
}

}  // namespace npufi::test
