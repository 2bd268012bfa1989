#pragma once
// Model files (npufi archives and TorchScript modules) are zip archives. LibTorch 1.13 reads their
// entries without checking the CRC-32 each entry records, and a corrupt code entry can crash its
// TorchScript parser (found by tests/fuzz/model_file_fuzz.cpp). This check runs first, so a corrupt or
// truncated file is refused with a message instead.
#include <string>

namespace npufi {

// What is wrong with the zip archive at `path`: no end of the central directory (truncated, or no zip
// at all), an entry outside the file, a local header that does not match the directory, an unknown
// compression method, or an entry whose data does not match its size or CRC-32. Empty when nothing is.
std::string zip_integrity_problem(const std::string& path);

}  // namespace npufi
