// Fuzz harness: a database file that is not ours or is corrupted, given to the read-only commands
// (`campaign list`, `campaign status`, `export` in every format). Each must end with exit code 0 or 1 (a
// one-line error), never crash, and leave the file exactly as it was.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "cli/npufi_main.h"
#include "db/store.h"
#include "tests/fuzz/fuzz_harness.h"

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void run(std::vector<std::string> args) {
  args.insert(args.begin(), "npufi");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  const int code = npufi::cli::run_npufi(int(argv.size()), argv.data());
  if (code != 0 && code != 1) npufi::fuzz::finding("npufi " + args[1] + " exited with " + std::to_string(code));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/npufi-fuzz-db-" + std::to_string(getpid()) + ".db";
  const std::string bytes = npufi::fuzz::as_text(data, size);
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix);
  {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
  }
  run({"campaign", "list", "--db", path});
  // The first campaign ids that a corrupt file still yields, and one that it does not hold.
  std::vector<int64_t> ids = {999999};
  try {
    for (const auto& c : npufi::db::Store::open(path, npufi::db::Store::Mode::read_only).campaigns())
      if (ids.size() < 4) ids.push_back(c.id);
  } catch (const npufi::db::DbError&) {
  } catch (const std::exception& e) {
    npufi::fuzz::finding(std::string("unexpected exception: ") + e.what());
  }
  for (const int64_t id : ids) {
    run({"campaign", "status", std::to_string(id), "--db", path});
    for (const char* format : {"table", "csv", "json"})
      run({"export", "--db", path, "--campaign", std::to_string(id), "--format", format});
  }
  if (read_file(path) != bytes) npufi::fuzz::finding("a read-only command changed the database file");
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix);
  return 0;
}
