// Fault sites and fault models on a small design with known state (designs/sites_design.sv): the sites
// found from the design are exactly its flops and memories, and flips and forced values act on the right
// bits and reach the logic that reads them.
#include <gtest/gtest.h>

#include "Vsites_design.h"
#include "rtl/sim/state_access.h"

namespace npufi {

extern const StateVar kSitesDesignStateVars[];
extern const size_t kSitesDesignStateVarsCount;
extern const MemoryRead kSitesDesignStateVarsReads[];
extern const size_t kSitesDesignStateVarsReadsCount;

namespace {

struct Design {
  VerilatedContext context;
  Vsites_design top{&context, ""};
  StateAccess state{context, kSitesDesignStateVars, kSitesDesignStateVarsCount, kSitesDesignStateVarsReads,
                    kSitesDesignStateVarsReadsCount};

  Design() {
    top.rst = 1;
    tick();
    top.rst = 0;
  }
  // One cycle; after_eval() runs after each evaluation, as the fault simulator's forcing does.
  template <class F = void (*)()>
  void tick(F after_eval = [] {}) {
    top.clk = 1;
    top.eval();
    after_eval();
    top.clk = 0;
    top.eval();
    after_eval();
  }
  uint64_t site(const std::string& name) const {
    const auto bit = state.sites().find(name);
    EXPECT_TRUE(bit) << name;
    return bit.value_or(0);
  }
};

TEST(StateAccess, FindsExactlyTheFlopsAndMemoriesOfTheDesign) {
  Design d;
  struct Expected {
    const char* block;
    const char* path;
    SiteKind kind;
    uint32_t width;
    uint64_t words;
  };
  const Expected expected[] = {
      {"sites_design", "sites_design.seen", SiteKind::flop, 1, 1},
      {"counter", "counter.count", SiteKind::flop, 12, 1},
      {"counter", "counter.wrapped", SiteKind::flop, 1, 1},
      {"ram", "ram.mem", SiteKind::sram, 8, 16},
      {"ram", "ram.rdata_q", SiteKind::flop, 8, 1},
      {"ram", "ram.tags", SiteKind::flop, 3, 4},
  };
  const auto& elements = d.state.sites().elements();
  ASSERT_EQ(elements.size(), std::size(expected));
  uint64_t first_bit = 0;
  for (size_t i = 0; i < elements.size(); ++i) {
    EXPECT_EQ(elements[i].block, expected[i].block) << i;
    EXPECT_EQ(elements[i].path, expected[i].path) << i;
    EXPECT_EQ(elements[i].kind, expected[i].kind) << elements[i].path;
    EXPECT_EQ(elements[i].width, expected[i].width) << elements[i].path;
    EXPECT_EQ(elements[i].words, expected[i].words) << elements[i].path;
    EXPECT_EQ(elements[i].first_bit, first_bit) << elements[i].path;
    first_bit += expected[i].width * expected[i].words;
  }
  EXPECT_EQ(d.state.sites().total_bits(), 162u);  // 1 + 12 + 1 + 16 * 8 + 8 + 4 * 3
}

TEST(StateAccess, NamesSitesAndFindsThemByName) {
  Design d;
  const FaultSites& sites = d.state.sites();
  for (uint64_t bit = 0; bit < sites.total_bits(); ++bit) ASSERT_EQ(sites.find(sites.name(bit)), bit);
  EXPECT_EQ(sites.name(sites.elements()[3].first_bit + 5 * 8 + 7), "ram.mem[5][7]");
  EXPECT_EQ(sites.find("counter.count[11]"), sites.elements()[1].first_bit + 11);
  EXPECT_FALSE(sites.find("counter.count[12]"));      // beyond the register
  EXPECT_FALSE(sites.find("ram.mem[16][0]"));         // beyond the memory
  EXPECT_FALSE(sites.find("counter.count_next[0]"));  // combinational: not a site
  EXPECT_FALSE(sites.find("ram.rdata[0]"));
  EXPECT_THROW(sites.locate(sites.total_bits()), std::out_of_range);
}

TEST(StateAccess, SeuFlipsOneBitAndTheLogicComputesFromIt) {
  Design d;
  for (int i = 0; i < 5; ++i) d.tick();
  ASSERT_EQ(d.top.count, 5);
  d.state.flip(d.site("counter.count[3]"));
  d.top.eval();  // the fault simulator settles the logic after a fault
  EXPECT_EQ(d.top.count, 13);  // the output port, combinational from the register
  d.tick();
  EXPECT_EQ(d.top.count, 14);  // the next value was computed from the faulty one
}

TEST(StateAccess, MbuFlipsAdjacentBitsOfOneWord) {
  Design d;
  for (int i = 0; i < 5; ++i) d.tick();
  for (int b = 2; b <= 4; ++b) d.state.flip(d.site("counter.count[" + std::to_string(b) + "]"));
  d.top.eval();
  EXPECT_EQ(d.top.count, 5 ^ 0b11100);
}

TEST(StateAccess, StuckAtForcedAfterEveryEvaluationHidesTheHealthyValue) {
  Design d;
  const uint64_t bit0 = d.site("counter.count[0]");
  const auto force = [&] {
    if (!d.state.get(bit0)) {
      d.state.set(bit0, true);
      d.top.eval();
    }
  };
  force();
  EXPECT_EQ(d.top.count, 1);
  for (int k = 1; k <= 6; ++k) {
    d.tick(force);
    EXPECT_EQ(d.top.count, 2 * k + 1) << k;  // 1 -> 2, forced 3 -> 4, forced 5 ...
  }
}

TEST(StateAccess, MemoryFlipReachesTheReadPortAndItsRegister) {
  Design d;
  d.top.we = 1;
  d.top.waddr = 5;
  d.top.wdata = 0x0f;
  d.tick();
  d.top.we = 0;
  d.top.raddr = 5;
  d.tick();
  ASSERT_EQ(d.top.rdata, 0x0f);
  d.state.flip(d.site("ram.mem[5][7]"));
  d.top.eval();
  EXPECT_EQ(d.top.rdata, 0x8f);
  d.tick();
  EXPECT_EQ(d.top.rdata_reg, 0x8f);
}

TEST(StateAccess, TracesWhichMemoryWordsAreReadBeforeBeingOverwritten) {
  Design d;
  StateAccess::WordTrace trace = d.state.start_trace();
  const size_t mem = 3;
  d.top.raddr = 5;
  d.tick([&] { d.state.note_accesses(1, trace); });
  d.top.we = 1;  // cycle 2: word 6 is written, word 5 still read
  d.top.waddr = 6;
  d.top.wdata = 0x42;
  d.tick([&] { d.state.note_accesses(2, trace); });
  d.top.we = 0;
  d.top.raddr = 6;  // cycle 3: word 6 is read
  d.tick([&] { d.state.note_accesses(3, trace); });
  EXPECT_TRUE(trace.read_before_change(mem, 5, 1));
  EXPECT_TRUE(trace.read_before_change(mem, 5, 2));
  EXPECT_FALSE(trace.read_before_change(mem, 5, 3));  // never read after cycle 2
  EXPECT_FALSE(trace.read_before_change(mem, 6, 1));  // overwritten in cycle 2 before its read in cycle 3
  EXPECT_TRUE(trace.read_before_change(mem, 6, 2));
  EXPECT_FALSE(trace.read_before_change(mem, 7, 1));  // never read
}

}  // namespace
}  // namespace npufi
