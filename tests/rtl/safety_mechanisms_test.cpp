// The NPU's safety mechanisms (rtl/npu, docs/safety-rtl.md) on small instances (designs/safety_harness.sv),
// exhaustively: faults are flips of the stored bits through the fault sites, as a campaign injects them.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "Vsafety_harness.h"
#include "rtl/sim/state_access.h"

#include "npufi/verilated_vars.h"

extern const npufi::StateVar kSafetyHarnessStateVars[];
extern const size_t kSafetyHarnessStateVarsCount;
extern const npufi::MemoryPort kSafetyHarnessStateVarsPorts[];
extern const size_t kSafetyHarnessStateVarsPortsCount;

namespace npufi {

namespace {

struct Harness {
  VerilatedContext context;
  Vsafety_harness top{&context, ""};
  StateAccess state{[this](const char* scope, const char* name, DesignVar& out) {
                      return find_verilated_var(context, scope, name, out);
                    },
                    kSafetyHarnessStateVars, kSafetyHarnessStateVarsCount, kSafetyHarnessStateVarsPorts,
                    kSafetyHarnessStateVarsPortsCount};

  Harness() {
    top.rst = 1;
    tick();
    top.rst = 0;
    top.eval();
  }
  void tick() {
    top.clk = 1;
    top.eval();
    top.clk = 0;
    top.eval();
  }
  uint64_t site(const std::string& name) const {
    const auto bit = state.sites().find(name);
    EXPECT_TRUE(bit) << name;
    return bit.value_or(0);
  }
  // Writes `value` to word 1 (bytes 4..7) of both buffers.
  void write_word(uint32_t value) {
    top.we = 1;
    top.waddr = 1;
    top.wdata = value;
    tick();
    top.we = 0;
    top.eval();
  }
  // Reads `byte`. Verilator re-evaluates the read logic when its address changes, not when a flip changes
  // the state under it, so the address moves away and back.
  void read(int byte) {
    top.raddr = byte ^ 1;
    top.eval();
    top.raddr = byte;
    top.eval();
  }
  // Accumulators 0 and 1 take `a` and `b` as a first product, then add 1 to each.
  void accumulate(int16_t a, int16_t b) {
    top.acc_valid = 1;
    top.acc_first = 1;
    top.acc_products = uint32_t(uint16_t(a)) | uint32_t(uint16_t(b)) << 16;
    tick();
    top.acc_first = 0;
    top.acc_products = 1u | 1u << 16;
    tick();
    top.acc_valid = 0;
    top.eval();
  }
};

std::vector<uint32_t> test_words() {
  std::vector<uint32_t> words{0u, 0xffffffffu, 0xa5a5a5a5u, 0x00000001u, 0x80000000u};
  std::mt19937 random(7);
  for (int i = 0; i < 5; ++i) words.push_back(uint32_t(random()));
  return words;
}

// The 39 stored bits of word 1 in the SECDED buffer: its four data bytes, then its seven check bits.
std::vector<std::string> ecc_word_bits() {
  std::vector<std::string> bits;
  for (int byte = 4; byte < 8; ++byte)
    for (int b = 0; b < 8; ++b) bits.push_back("ifm_ecc.mem[" + std::to_string(byte) + "][" + std::to_string(b) + "]");
  for (int b = 0; b < 7; ++b) bits.push_back("ifm_ecc.g_ecc.check[1][" + std::to_string(b) + "]");
  return bits;
}

TEST(SafetyMechanisms, SecdedCorrectsEverySingleFlipOfAWord) {
  Harness h;
  const std::vector<std::string> bits = ecc_word_bits();
  for (const uint32_t word : test_words()) {
    h.write_word(word);
    for (int byte = 0; byte < 4; ++byte) {
      h.read(4 + byte);
      ASSERT_EQ(h.top.ecc_rdata, (word >> (8 * byte)) & 0xff);
      ASSERT_FALSE(h.top.ecc_corrected || h.top.ecc_detected) << std::hex << word;
    }
    for (const std::string& bit : bits) {
      h.state.flip(h.site(bit));
      for (int byte = 0; byte < 4; ++byte) {
        h.read(4 + byte);
        EXPECT_EQ(h.top.ecc_rdata, (word >> (8 * byte)) & 0xff) << bit << " word " << std::hex << word;
        EXPECT_TRUE(h.top.ecc_corrected) << bit;
        EXPECT_FALSE(h.top.ecc_detected) << bit;
      }
      h.state.flip(h.site(bit));
    }
  }
}

TEST(SafetyMechanisms, SecdedDetectsEveryDoubleFlipOfAWord) {
  Harness h;
  const std::vector<std::string> bits = ecc_word_bits();
  int pairs = 0;
  for (const uint32_t word : test_words()) {
    h.write_word(word);
    for (size_t i = 0; i < bits.size(); ++i)
      for (size_t j = i + 1; j < bits.size(); ++j) {
        h.state.flip(h.site(bits[i]));
        h.state.flip(h.site(bits[j]));
        for (int byte = 0; byte < 4; ++byte) {
          h.read(4 + byte);
          EXPECT_TRUE(h.top.ecc_detected) << bits[i] << " + " << bits[j] << " word " << std::hex << word;
          EXPECT_FALSE(h.top.ecc_corrected) << bits[i] << " + " << bits[j];
        }
        h.state.flip(h.site(bits[i]));
        h.state.flip(h.site(bits[j]));
        ++pairs;
      }
  }
  EXPECT_EQ(pairs, 10 * 39 * 38 / 2);
}

TEST(SafetyMechanisms, ByteParityDetectsEverySingleFlipAndNoDoubleFlip) {
  Harness h;
  for (const uint32_t word : test_words()) {
    h.write_word(word);
    for (int byte = 4; byte < 8; ++byte) {
      std::vector<std::string> bits;
      for (int b = 0; b < 8; ++b) bits.push_back("ifm_parity.mem[" + std::to_string(byte) + "][" + std::to_string(b) + "]");
      bits.push_back("ifm_parity.g_parity.parity[" + std::to_string(byte) + "][0]");
      for (size_t i = 0; i < bits.size(); ++i) {
        h.state.flip(h.site(bits[i]));
        h.read(byte);
        EXPECT_TRUE(h.top.parity_detected) << bits[i];
        for (int other = 4; other < 8; ++other) {
          if (other == byte) continue;
          h.read(other);
          EXPECT_FALSE(h.top.parity_detected) << bits[i] << " read at byte " << other;
        }
        // A second flip in the same byte restores the parity: the blind spot of one parity bit.
        for (size_t j = i + 1; j < bits.size(); ++j) {
          h.state.flip(h.site(bits[j]));
          h.read(byte);
          EXPECT_FALSE(h.top.parity_detected) << bits[i] << " + " << bits[j];
          h.state.flip(h.site(bits[j]));
        }
        h.state.flip(h.site(bits[i]));
      }
    }
  }
}

TEST(SafetyMechanisms, AccumulatorParityDetectsEverySingleFlipWhereTheAccumulatorIsUsed) {
  for (int acc = 0; acc < 2; ++acc)
    for (int b = 0; b <= 32; ++b) {
      const std::string bit = b < 32 ? "acc.acc[" + std::to_string(acc) + "][" + std::to_string(b) + "]"
                                     : "acc.g_parity.parity[" + std::to_string(acc) + "][0]";
      // Read by the output unit: flagged for the faulty accumulator only, and only when the read counts.
      Harness h;
      h.accumulate(-1234, 77);
      h.state.flip(h.site(bit));
      h.top.acc_rused = 1;
      h.top.acc_rindex = acc;
      h.top.eval();
      EXPECT_TRUE(h.top.acc_detected) << bit;
      h.top.acc_rindex = 1 - acc;
      h.top.eval();
      EXPECT_FALSE(h.top.acc_detected) << bit << " read at the other accumulator";
      h.top.acc_rused = 0;
      h.top.acc_rindex = acc;
      h.top.eval();
      EXPECT_FALSE(h.top.acc_detected) << bit << " with a read that does not count";
      // Added to: flagged before the sum overwrites the parity with that of the faulty value.
      h.top.acc_valid = 1;
      h.top.acc_first = 0;
      h.top.eval();
      EXPECT_TRUE(h.top.acc_detected) << bit << " added to";
      // A new tile's first product replaces the faulty value: nothing to flag.
      h.top.acc_first = 1;
      h.top.eval();
      EXPECT_FALSE(h.top.acc_detected) << bit << " replaced";
    }
}

}  // namespace

}  // namespace npufi
