#include "models/npy_file.h"

#include <fstream>
#include <iterator>
#include <regex>

#include "analysis/toml_input.h"
#include "models/dataset.h"

namespace npufi {

NumericArray read_npy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DatasetError(path + ": cannot open");
  const std::string file{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (file.size() < 10 || file.compare(0, 6, "\x93NUMPY") != 0) throw DatasetError(path + ": not a NumPy .npy file");
  const int major = uint8_t(file[6]);
  if (major < 1 || major > 3) throw DatasetError(path + ": .npy format version " + std::to_string(major) + " is not known");
  const size_t length_bytes = major == 1 ? 2 : 4;
  size_t header_length = 0;
  for (size_t b = 0; b < length_bytes; ++b) header_length |= size_t(uint8_t(file[8 + b])) << (8 * b);
  const size_t data_start = 8 + length_bytes + header_length;
  if (file.size() < data_start) throw DatasetError(path + ": truncated .npy header");
  const std::string header = file.substr(8 + length_bytes, header_length);

  std::smatch m;
  if (!std::regex_search(header, m, std::regex(R"('descr'\s*:\s*'([<>|=])([uif])(\d+)')")))
    throw DatasetError(path + ": the .npy header has no plain dtype ('descr'): " + printable(header));
  NumericArray a;
  a.kind = m[2].str()[0];
  a.item_bytes = m[3].length() <= 2 ? std::stoi(m[3].str()) : 0;
  const char order = m[1].str()[0];
  const std::string descr = m[1].str() + m[2].str() + m[3].str();
  if ((order == '>' && a.item_bytes > 1) || (a.item_bytes != 1 && a.item_bytes != 2 && a.item_bytes != 4 &&
                                             a.item_bytes != 8) || (a.kind == 'f' && a.item_bytes != 4 && a.item_bytes != 8))
    throw DatasetError(path + ": dtype '" + descr + "' is not supported (little-endian integers, float32, float64)");
  if (std::regex_search(header, std::regex(R"('fortran_order'\s*:\s*True)")))
    throw DatasetError(path + ": the array is in Fortran order; save it in C order (numpy.ascontiguousarray)");
  if (!std::regex_search(header, m, std::regex(R"('shape'\s*:\s*\(([^)]*)\))")))
    throw DatasetError(path + ": the .npy header has no shape");
  const std::string dims = m[1].str();
  const std::string shown = printable(dims);
  const std::regex number(R"(\d+)");
  for (std::sregex_iterator it(dims.begin(), dims.end(), number), end; it != end; ++it) {
    if (it->length() > 15) throw DatasetError(path + ": shape (" + shown + ") is too large");
    a.shape.push_back(std::stoll(it->str()));
  }
  a.check_size(path);
  const uint64_t bytes = uint64_t(a.count()) * uint64_t(a.item_bytes);
  if (file.size() - data_start != bytes)
    throw DatasetError(path + ": " + std::to_string(file.size() - data_start) + " data bytes for shape (" + shown +
                       ") of " + a.dtype() + " (" + std::to_string(bytes) + " expected): truncated or not one array");
  a.data.assign(file.begin() + ptrdiff_t(data_start), file.end());
  return a;
}

}  // namespace npufi
