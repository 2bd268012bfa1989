#include "report/pdf_printer.h"

#include <unistd.h>

#include <filesystem>

#include "report/report_folder.h"
#include "rtl/design/command.h"

namespace npufi {

namespace {

constexpr const char* kChromium = "chromium";

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "";
  size_t start = 0;
  while (start <= dirs.size()) {
    const size_t end = std::min(dirs.find(':', start), dirs.size());
    if (access((dirs.substr(start, end - start) + "/" + program).c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

void require_chromium() {
  if (!on_path(kChromium))
    throw ReportOutputError("chromium is not installed; it prints the PDF (Debian package chromium), or leave pdf out of --format");
}

void print_pdf(const std::string& html, const std::string& pdf, const std::string& profile) {
  std::vector<std::string> argv = {kChromium, "--headless", "--disable-gpu", "--no-first-run", "--user-data-dir=" + profile,
                                   "--no-pdf-header-footer", "--print-to-pdf=" + pdf,
                                   "file://" + std::filesystem::absolute(html).string()};
  if (geteuid() == 0) argv.insert(argv.begin() + 1, "--no-sandbox");  // Chromium refuses root without it
  const CommandResult result = run_command(argv);
  std::error_code ignored;
  std::filesystem::remove_all(profile, ignored);
  if (result.exit_code != 0 || !std::filesystem::exists(pdf))
    throw ReportOutputError("chromium could not print " + html + " (exit " + std::to_string(result.exit_code) + ")");
}

}  // namespace npufi
