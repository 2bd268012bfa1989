#pragma once
// --images FIRST:END: a range of Fashion-MNIST test images.
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

namespace npufi::cli {

struct ImageRange {
  int first = 0;
  int end = 0;  // exclusive
};

// "FIRST:END" with 0 <= FIRST < END <= limit; nullopt when malformed.
std::optional<ImageRange> parse_image_range(const std::string& text, int limit);

// --images FIRST:END over the 10,000 test images, checked at parse time.
void add_images_option(CLI::App& command, std::string& images);

}  // namespace npufi::cli
