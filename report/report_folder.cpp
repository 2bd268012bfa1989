#include "report/report_folder.h"

#include <unistd.h>

#include <fstream>

namespace npufi {

namespace fs = std::filesystem;

namespace {

// A hidden folder beside `folder`: ".NAME.tmp-PID".
fs::path sibling(const fs::path& folder, const char* what) {
  std::string name = ".";
  name += folder.filename().string();
  name += what;
  name += std::to_string(getpid());
  return folder.parent_path() / name;
}

}  // namespace

ReportFolder::ReportFolder(const std::string& folder) : folder_(fs::absolute(folder).lexically_normal()) {
  if (folder_.filename().empty()) folder_ = folder_.parent_path();
  std::error_code error;
  if (fs::exists(folder_, error) && !fs::is_directory(folder_, error))
    throw ReportOutputError("--out " + folder + " is a file, not a folder");
  staging_ = sibling(folder_, ".tmp-");
  fs::remove_all(staging_, error);
  if (!fs::create_directories(staging_, error) || error)
    throw ReportOutputError("--out " + folder + ": cannot create a folder in " + folder_.parent_path().string() + ": " +
                            (error ? error.message() : "it exists"));
}

ReportFolder::~ReportFolder() {
  std::error_code ignored;
  if (!committed_) fs::remove_all(staging_, ignored);
}

fs::path ReportFolder::path(const std::string& name) const { return staging_ / name; }

void ReportFolder::write(const std::string& name, const std::string& text) {
  const fs::path file = path(name);
  std::error_code error;
  fs::create_directories(file.parent_path(), error);
  std::ofstream out(file, std::ios::binary);
  if (!(out << text) || !(out.flush()))
    throw ReportOutputError(folder_.string() + ": cannot write " + name);
}

fs::path ReportFolder::subfolder(const std::string& name) {
  std::error_code error;
  fs::create_directories(path(name), error);
  if (error) throw ReportOutputError(folder_.string() + ": cannot create " + name + ": " + error.message());
  return path(name);
}

void ReportFolder::remove(const std::string& name) {
  std::error_code ignored;
  fs::remove_all(path(name), ignored);
}

void ReportFolder::commit() {
  std::error_code error;
  const fs::path old = sibling(folder_, ".old-");
  const bool replace = fs::exists(folder_, error);
  if (replace) fs::rename(folder_, old, error);
  if (!error) fs::rename(staging_, folder_, error);
  if (error) {
    if (replace) fs::rename(old, folder_, error);
    throw ReportOutputError(folder_.string() + ": cannot move the report into place: " + error.message());
  }
  committed_ = true;
  if (replace) fs::remove_all(old, error);
}

}  // namespace npufi
