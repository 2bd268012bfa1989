#include "injector/number_format.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>

namespace npufi {

std::optional<NumberFormat> parse_number_format(std::string_view name) {
  if (name == "fp32") return NumberFormat::fp32;
  if (name == "fp16") return NumberFormat::fp16;
  if (name == "bf16") return NumberFormat::bf16;
  if (name == "int8") return NumberFormat::int8;
  return std::nullopt;
}

std::string to_string(NumberFormat format) {
  switch (format) {
    case NumberFormat::fp32: return "fp32";
    case NumberFormat::fp16: return "fp16";
    case NumberFormat::bf16: return "bf16";
    case NumberFormat::int8: return "int8";
  }
  return "?";
}

int bit_width(NumberFormat format) {
  switch (format) {
    case NumberFormat::fp32: return 32;
    case NumberFormat::fp16:
    case NumberFormat::bf16: return 16;
    case NumberFormat::int8: return 8;
  }
  return 0;
}

namespace {

std::vector<int> bit_range(int low, int high) {  // [low, high)
  std::vector<int> bits(high - low);
  std::iota(bits.begin(), bits.end(), low);
  return bits;
}

}  // namespace

std::optional<std::vector<int>> field_bits(NumberFormat format, std::string_view field) {
  const int width = bit_width(format);
  if (field == "all") return bit_range(0, width);
  if (field == "sign") return std::vector<int>{width - 1};
  int mantissa = 0;  // fraction bits below the exponent
  switch (format) {
    case NumberFormat::fp32: mantissa = 23; break;
    case NumberFormat::fp16: mantissa = 10; break;
    case NumberFormat::bf16: mantissa = 7; break;
    case NumberFormat::int8: return std::nullopt;
  }
  if (field == "exponent") return bit_range(mantissa, width - 1);
  if (field == "mantissa") return bit_range(0, mantissa);
  return std::nullopt;
}

uint32_t fp32_bits(float value) { return std::bit_cast<uint32_t>(value); }
float fp32_from_bits(uint32_t bits) { return std::bit_cast<float>(bits); }

uint16_t fp16_bits(float value) {
  const uint32_t f = fp32_bits(value);
  const uint32_t sign = (f >> 16) & 0x8000u;
  const int32_t exponent = int32_t((f >> 23) & 0xffu);
  uint32_t mantissa = f & 0x7fffffu;

  if (exponent == 0xff) {  // Inf or NaN; keep the top payload bits, make sure a NaN stays a NaN
    uint32_t payload = mantissa >> 13;
    if (mantissa != 0 && payload == 0) payload = 0x200u;
    return uint16_t(sign | 0x7c00u | payload);
  }
  const int32_t half_exponent = exponent - 127 + 15;
  if (half_exponent >= 0x1f) return uint16_t(sign | 0x7c00u);  // overflow to Inf
  if (half_exponent <= 0) {                                   // subnormal half or zero
    if (half_exponent < -10) return uint16_t(sign);
    mantissa |= 0x800000u;  // the implicit leading one
    const int shift = 14 - half_exponent;
    uint32_t half_mantissa = mantissa >> shift;
    const uint32_t remainder = mantissa & ((1u << shift) - 1);
    const uint32_t halfway = 1u << (shift - 1);
    if (remainder > halfway || (remainder == halfway && (half_mantissa & 1u))) ++half_mantissa;
    return uint16_t(sign | half_mantissa);  // a carry into the exponent field is still correct
  }
  uint32_t half = sign | (uint32_t(half_exponent) << 10) | (mantissa >> 13);
  const uint32_t remainder = mantissa & 0x1fffu;
  if (remainder > 0x1000u || (remainder == 0x1000u && (half & 1u))) ++half;  // may round up to Inf
  return uint16_t(half);
}

float fp16_to_fp32(uint16_t bits) {
  const uint32_t sign = uint32_t(bits & 0x8000u) << 16;
  const uint32_t exponent = (bits >> 10) & 0x1fu;
  uint32_t mantissa = bits & 0x3ffu;
  if (exponent == 0x1f) return fp32_from_bits(sign | 0x7f800000u | (mantissa << 13));
  if (exponent != 0) return fp32_from_bits(sign | ((exponent + 112) << 23) | (mantissa << 13));
  if (mantissa == 0) return fp32_from_bits(sign);
  int e = 113;  // normalise the subnormal
  while ((mantissa & 0x400u) == 0) {
    mantissa <<= 1;
    --e;
  }
  return fp32_from_bits(sign | (uint32_t(e) << 23) | ((mantissa & 0x3ffu) << 13));
}

uint16_t bf16_bits(float value) {
  const uint32_t f = fp32_bits(value);
  if ((f & 0x7f800000u) == 0x7f800000u && (f & 0x7fffffu) != 0) {  // NaN: truncate, stay NaN
    const uint16_t high = uint16_t(f >> 16);
    return (high & 0x7fu) ? high : uint16_t(high | 0x40u);
  }
  const uint32_t rounding = 0x7fffu + ((f >> 16) & 1u);
  return uint16_t((f + rounding) >> 16);
}

float bf16_to_fp32(uint16_t bits) { return fp32_from_bits(uint32_t(bits) << 16); }

uint32_t encode(float value, NumberFormat format, float int8_scale) {
  switch (format) {
    case NumberFormat::fp32: return fp32_bits(value);
    case NumberFormat::fp16: return fp16_bits(value);
    case NumberFormat::bf16: return bf16_bits(value);
    case NumberFormat::int8: {
      const float code = std::clamp(std::nearbyint(value / int8_scale), -128.0f, 127.0f);
      return uint32_t(int32_t(code)) & 0xffu;
    }
  }
  return 0;
}

float int8_scale(const float* values, int64_t n) {
  float max_abs = 0.0f;
  for (int64_t i = 0; i < n; ++i) max_abs = std::max(max_abs, std::fabs(values[i]));
  return max_abs > 0.0f ? max_abs / 127.0f : 1.0f;
}

float decode(uint32_t code, NumberFormat format, float int8_scale) {
  switch (format) {
    case NumberFormat::fp32: return fp32_from_bits(code);
    case NumberFormat::fp16: return fp16_to_fp32(uint16_t(code));
    case NumberFormat::bf16: return bf16_to_fp32(uint16_t(code));
    case NumberFormat::int8: return float(int8_t(uint8_t(code))) * int8_scale;
  }
  return 0.0f;
}

}  // namespace npufi
