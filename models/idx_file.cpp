#include "models/idx_file.h"

#include <algorithm>

#include "models/gzip_reader.h"

namespace npufi {

NumericArray read_idx(const std::string& path) {
  GzipReader in(path);
  const uint32_t magic = in.read_u32();  // 0, 0, the element type, the number of dimensions
  NumericArray a;
  switch ((magic >> 8) & 0xff) {
    case 0x08: a.kind = 'u', a.item_bytes = 1; break;
    case 0x09: a.kind = 'i', a.item_bytes = 1; break;
    case 0x0B: a.kind = 'i', a.item_bytes = 2; break;
    case 0x0C: a.kind = 'i', a.item_bytes = 4; break;
    case 0x0D: a.kind = 'f', a.item_bytes = 4; break;
    case 0x0E: a.kind = 'f', a.item_bytes = 8; break;
    default: a.kind = 0;
  }
  const uint32_t dims = magic & 0xff;
  if ((magic >> 16) != 0 || a.kind == 0 || dims == 0) {
    char text[64];
    std::snprintf(text, sizeof text, ": not an IDX file (magic number 0x%08x)", magic);
    throw DatasetError(path + text);
  }
  for (uint32_t d = 0; d < dims; ++d) a.shape.push_back(in.read_u32());
  a.check_size(path);
  // Read in pieces, so that a header claiming more data than the file holds costs no more memory than the
  // file: the short read fails first.
  const size_t total = size_t(a.count()) * size_t(a.item_bytes);
  std::vector<uint8_t> piece(std::min<size_t>(total, 1 << 20));
  for (size_t done = 0; done < total; done += piece.size()) {
    piece.resize(std::min(piece.size(), total - done));
    in.read(piece.data(), piece.size());
    a.data.insert(a.data.end(), piece.begin(), piece.end());
  }
  in.expect_end();
  // IDX is big-endian; NumericArray little-endian.
  for (size_t at = 0; a.item_bytes > 1 && at < a.data.size(); at += size_t(a.item_bytes))
    std::reverse(a.data.begin() + ptrdiff_t(at), a.data.begin() + ptrdiff_t(at) + a.item_bytes);
  return a;
}

}  // namespace npufi
