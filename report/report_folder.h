#pragma once
// The report's output folder, written atomically: everything goes into a temporary folder beside it,
// renamed to the folder's name at the end, so a failure leaves nothing (and an earlier report stays whole).
#include <filesystem>
#include <stdexcept>
#include <string>

namespace npufi {

struct ReportOutputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class ReportFolder {
 public:
  // Creates the temporary folder. Throws ReportOutputError naming `folder` when it cannot be written.
  explicit ReportFolder(const std::string& folder);
  ~ReportFolder();  // removes the temporary folder unless committed
  ReportFolder(const ReportFolder&) = delete;
  ReportFolder& operator=(const ReportFolder&) = delete;

  // Where `name` (a path relative to the folder) is written before the commit.
  std::filesystem::path path(const std::string& name) const;
  void write(const std::string& name, const std::string& text);
  // Creates the subfolder `name` (for scratch files) and returns its path.
  std::filesystem::path subfolder(const std::string& name);
  void remove(const std::string& name);
  // Replaces the folder (and an earlier report in it) by the temporary one.
  void commit();

 private:
  std::filesystem::path folder_, staging_;
  bool committed_ = false;
};

}  // namespace npufi
