// The NPU's stored bits per block, counted from the design, against the sizes the design promises
// (rtl/npu/npu.sv, docs/npu-command-stream.md), and the area model file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <map>

#include "rtl/sim/area_model.h"
#include "rtl/sim/npu_inventory.h"

namespace npufi {
namespace {

std::map<std::string, BlockStorage> by_block(NpuConfig config) {
  std::map<std::string, BlockStorage> blocks;
  for (const BlockStorage& block : npu_inventory(config)) blocks[block.block] = block;
  return blocks;
}

class NpuInventory : public ::testing::TestWithParam<NpuConfig> {};

TEST_P(NpuInventory, CountsEveryBlockFromTheDesign) {
  const NpuGeometry geo = npu_geometry(GetParam());
  const auto blocks = by_block(GetParam());
  ASSERT_EQ(blocks.size(), 8u);
  for (const char* name : {"controller", "dma", "weight_buffer", "ifm_buffer", "mac_array", "acc_buffer",
                           "output_unit", "status"})
    EXPECT_EQ(blocks.count(name), 1u) << name;

  // The two buffers are the only memories, of exactly their documented size.
  EXPECT_EQ(blocks.at("weight_buffer").sram_bits, uint64_t(geo.wb_depth) * geo.rows * 8);
  EXPECT_EQ(blocks.at("ifm_buffer").sram_bits, uint64_t(geo.ifm_bytes) * 8);
  EXPECT_EQ(blocks.at("weight_buffer").flop_bits, 0u);
  EXPECT_EQ(blocks.at("ifm_buffer").flop_bits, 0u);
  for (const auto& [name, block] : blocks) {
    if (name == "weight_buffer" || name == "ifm_buffer") continue;
    EXPECT_EQ(block.sram_bits, 0u) << name;
  }

  // Register files and pipeline registers are flops: an int32 accumulator and an int16 product per MAC
  // (plus valid and first), bias, multiplier and shift per MAC row.
  EXPECT_EQ(blocks.at("acc_buffer").flop_bits, uint64_t(geo.macs) * 32);
  EXPECT_EQ(blocks.at("mac_array").flop_bits, uint64_t(geo.macs) * 16 + 2);
  EXPECT_EQ(blocks.at("mac_array").macs, uint64_t(geo.macs));
  EXPECT_GT(blocks.at("output_unit").flop_bits, uint64_t(geo.rows) * 96);
  // busy, done, error, err_code[8], err_pc[32]
  EXPECT_EQ(blocks.at("status").flop_bits, 43u);
  // 16 configuration words and the loop counters; combinational signals do not count.
  EXPECT_GT(blocks.at("controller").flop_bits, 16u * 32);
  EXPECT_LT(blocks.at("controller").flop_bits, 2000u);
  EXPECT_GT(blocks.at("dma").flop_bits, 64u);
}

INSTANTIATE_TEST_SUITE_P(Configs, NpuInventory, ::testing::ValuesIn(kAllNpuConfigs),
                         [](const auto& info) { return npu_config_name(info.param); });

TEST(AreaModel, ReadsTheSourceTreeFileAndRejectsBadValues) {
  const AreaModel model = load_area_model(default_area_model_path());
  EXPECT_GT(model.flop_bit, model.sram_bit);
  EXPECT_GT(model.mac, model.flop_bit);
  BlockStorage block{"b", 10, 100, 1};
  EXPECT_DOUBLE_EQ(model.area(block), 10 * model.flop_bit + 100 * model.sram_bit + model.mac);

  const std::string path = ::testing::TempDir() + "npufi_area_model_test_" + std::to_string(getpid()) + ".toml";
  std::ofstream(path) << "[gate_equivalents]\nflop_bit = 6\nsram_bit = 0\nmac = 500\n";
  try {
    load_area_model(path);
    FAIL() << "sram_bit = 0 was accepted";
  } catch (const AreaModelError& e) {
    EXPECT_EQ(std::string(e.what()), path + ": gate_equivalents.sram_bit must be a positive number");
  }
  std::ofstream(path) << "[gate_equivalents\n";
  EXPECT_THROW(load_area_model(path), AreaModelError);
  EXPECT_THROW(load_area_model(path + ".missing"), AreaModelError);
}

}  // namespace
}  // namespace npufi
