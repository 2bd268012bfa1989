#pragma once
// The report's PDF: its HTML printed by headless Chromium (Debian package chromium), which lays out the
// CSS paged media of the HTML (page size, margins, page numbers, breaks).
#include <string>

namespace npufi {

// Throws ReportOutputError naming the package when Chromium is missing.
void require_chromium();

// Prints `html` (a file) to `pdf`, with a scratch browser profile in `profile` (a folder, removed after).
// Throws ReportOutputError when Chromium fails.
void print_pdf(const std::string& html, const std::string& pdf, const std::string& profile);

}  // namespace npufi
