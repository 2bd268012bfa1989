#include "cli/image_range.h"

#include <exception>

namespace npufi::cli {

std::optional<ImageRange> parse_image_range(const std::string& text, int limit) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) return std::nullopt;
  try {
    size_t used_first = 0;
    size_t used_end = 0;
    const ImageRange range{std::stoi(text.substr(0, colon), &used_first), std::stoi(text.substr(colon + 1), &used_end)};
    if (used_first != colon || colon + 1 + used_end != text.size()) return std::nullopt;
    if (range.first < 0 || range.end <= range.first || range.end > limit) return std::nullopt;
    return range;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

void add_images_option(CLI::App& command, std::string& images) {
  command.add_option("--images", images, "Test images FIRST:END (end exclusive)")
      ->check([](const std::string& text) {
        return parse_image_range(text, 10000) ? "" : "must be FIRST:END with 0 <= FIRST < END <= 10000, got " + text;
      })
      ->capture_default_str();
}

}  // namespace npufi::cli
