#pragma once
// How a weight is stored in memory, and the bit-exact conversions between that code and fp32.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace npufi {

enum class NumberFormat { fp32, fp16, bf16, int8 };

std::optional<NumberFormat> parse_number_format(std::string_view name);
std::string to_string(NumberFormat format);
// Bits per stored word: 32, 16, 16, 8.
int bit_width(NumberFormat format);

// Bit positions (0 = least significant) of a named field: "all", "sign", "exponent", "mantissa".
// int8 has only "all" and "sign". Returns nothing for an unknown field or one the format lacks.
std::optional<std::vector<int>> field_bits(NumberFormat format, std::string_view field);

uint32_t fp32_bits(float value);
float fp32_from_bits(uint32_t bits);
// IEEE 754 binary16, round to nearest even; NaN payloads are kept.
uint16_t fp16_bits(float value);
float fp16_to_fp32(uint16_t bits);
// bfloat16 (the top half of fp32), round to nearest even; NaN payloads are kept.
uint16_t bf16_bits(float value);
float bf16_to_fp32(uint16_t bits);

// A value's stored word in `format` (the low bit_width bits) and the value a word stands for. int8 is
// symmetric with `int8_scale`: code = round(value / scale) in [-128, 127], value = code * scale.
uint32_t encode(float value, NumberFormat format, float int8_scale = 1.0f);
float decode(uint32_t code, NumberFormat format, float int8_scale = 1.0f);
// The symmetric int8 scale of n values: max|v| / 127; 1 when all are zero (any scale codes them).
float int8_scale(const float* values, int64_t n);

}  // namespace npufi
