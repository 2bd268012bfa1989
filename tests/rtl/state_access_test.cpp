// Fault sites and fault models on a small design with known state (designs/sites_design.sv): the sites
// found from the design are exactly its flops and memories, and flips and forced values act on the right
// bits and reach the logic that reads them.
#include <gtest/gtest.h>

#include "Vsites_design.h"
#include "rtl/sim/state_access.h"

#include "npufi/verilated_vars.h"

extern const npufi::StateVar kSitesDesignStateVars[];
extern const size_t kSitesDesignStateVarsCount;
extern const npufi::MemoryPort kSitesDesignStateVarsPorts[];
extern const size_t kSitesDesignStateVarsPortsCount;

namespace npufi {

namespace {

struct Design {
  VerilatedContext context;
  Vsites_design top{&context, ""};
  StateAccess state{[this](const char* scope, const char* name, DesignVar& out) {
                      return find_verilated_var(context, scope, name, out);
                    },
                    kSitesDesignStateVars, kSitesDesignStateVarsCount, kSitesDesignStateVarsPorts,
                    kSitesDesignStateVarsPortsCount};

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
    StorageKind kind;
    uint32_t width;
    uint64_t words;
  };
  const Expected expected[] = {
      {"sites_design", "sites_design.seen", StorageKind::flop, 1, 1},
      {"counter", "counter.count", StorageKind::flop, 12, 1},
      {"counter", "counter.wrapped", StorageKind::flop, 1, 1},
      {"ram", "ram.mem", StorageKind::sram, 8, 16},
      {"ram", "ram.rdata_q", StorageKind::flop, 8, 1},
      {"ram", "ram.tags", StorageKind::flop, 3, 4},
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

TEST(StateAccess, DeadStateReachesNoObservedOutputAndRegisterFilesAreTraced) {
  Design d;
  const auto element = [&](const std::string& path) {
    const auto& elements = d.state.sites().elements();
    for (size_t i = 0; i < elements.size(); ++i)
      if (elements[i].path == path) return i;
    ADD_FAILURE() << path;
    return size_t(0);
  };
  // counter.wrapped is written and never read: it reaches no output.
  EXPECT_TRUE(d.state.dead(element("counter.wrapped")));
  for (const char* live : {"sites_design.seen", "counter.count", "ram.mem", "ram.rdata_q", "ram.tags"})
    EXPECT_FALSE(d.state.dead(element(live))) << live;
  // When only `count` is observed, everything but the counter is dead; seen reaches only `any`.
  d.state.observe_only({"count"});
  EXPECT_FALSE(d.state.dead(element("counter.count")));
  for (const char* dead : {"sites_design.seen", "counter.wrapped", "ram.mem", "ram.rdata_q", "ram.tags"})
    EXPECT_TRUE(d.state.dead(element(dead))) << dead;
  d.state.observe_only({"any"});
  EXPECT_FALSE(d.state.dead(element("sites_design.seen")));
  EXPECT_FALSE(d.state.dead(element("ram.tags")));  // tag_hit feeds any
  EXPECT_TRUE(d.state.dead(element("ram.rdata_q")));
  // The register file ram.tags is traced word by word as the memory is, unless observability is forgotten.
  const StateAccess::WordTrace trace = d.state.start_trace();
  EXPECT_TRUE(d.state.traced(element("ram.tags"), trace));
  EXPECT_TRUE(d.state.traced(element("ram.mem"), trace));
  EXPECT_FALSE(d.state.traced(element("counter.count"), trace));
  d.state.forget_observability();
  EXPECT_FALSE(d.state.dead(element("counter.wrapped")));
  EXPECT_FALSE(d.state.traced(element("ram.tags"), trace));
  EXPECT_TRUE(d.state.traced(element("ram.mem"), trace));
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

// A traced run of the test design: cycle(n, ...) sets the inputs of the clock cycle into n, then runs it
// with the trace calls in the order the fault simulator makes them.
struct TracedDesign : Design {
  StateAccess::WordTrace trace = state.start_trace();
  uint32_t last = 0;
  template <class F>
  void cycle(F set_inputs) {
    set_inputs();
    top.eval();
    state.note_writes(last, trace);
    ++last;
    tick([&] { state.note_reads(last, trace); });
  }
};

TEST(StateAccess, TracesWhichMemoryWordsAreReadBeforeBeingOverwritten) {
  TracedDesign d;
  const size_t mem = 3;
  d.cycle([&] { d.top.raddr = 5; });  // 1: word 5 read
  d.cycle([&] {                       // 2: word 6 written, word 5 still read
    d.top.we = 1;
    d.top.waddr = 6;
    d.top.wdata = 0x42;
  });
  d.cycle([&] { d.top.we = 0; });     // 3, 4: word 5 read
  d.cycle([&] { d.top.we = 1; });     // 4: word 6 written again with the value it holds
  d.cycle([&] {                       // 5: word 6 read
    d.top.we = 0;
    d.top.raddr = 6;
  });
  d.state.note_writes(d.last, d.trace);
  ASSERT_TRUE(d.trace.writes_known(mem));
  EXPECT_EQ(d.trace.first_read_before_overwrite(mem, 5, 1), 1u);
  EXPECT_EQ(d.trace.first_read_before_overwrite(mem, 5, 2), 2u);
  EXPECT_EQ(d.trace.first_read_before_overwrite(mem, 5, 5), std::nullopt);  // never read after cycle 4
  EXPECT_EQ(d.trace.first_read_before_overwrite(mem, 6, 1), std::nullopt);  // overwritten in 2, read in 5
  // The write of an equal value in cycle 4 leaves no trace in the memory's contents, but a difference in
  // word 6 before it is dead all the same.
  EXPECT_EQ(d.trace.first_read_before_overwrite(mem, 6, 2), std::nullopt);
  EXPECT_EQ(d.trace.first_read_before_overwrite(mem, 6, 4), 5u);
  EXPECT_EQ(d.trace.first_read_before_overwrite(mem, 7, 1), std::nullopt);  // never read
}

TEST(StateAccess, RefusesAMemoryChangeNoKnownWritePortMade) {
  TracedDesign d;
  d.cycle([&] { d.top.raddr = 5; });
  d.state.flip(d.site("ram.mem[9][2]"));  // not a write: the trace must not take it for one
  EXPECT_THROW(d.cycle([] {}), std::logic_error);
}

TEST(SiteInInstance, NamesAWrappedDesignsSitesAsTheDesignItselfNamesThem) {
  // A lockstep top wrapping the NPU as u_npu: its sites "npu.u_controller..." are the NPU's "controller...".
  EXPECT_EQ(site_in_instance("npu.u_controller.state[2]", "u_npu", "npu"), "controller.state[2]");
  EXPECT_EQ(site_in_instance("npu.u_weight_buffer.g_ecc.check[5][1]", "u_npu", "npu"), "weight_buffer.g_ecc.check[5][1]");
  EXPECT_EQ(site_in_instance("npu.g_mac_copy[1].g_on.u_mac_array.products[9]", "u_npu", "npu"),
            "g_mac_copy[1].g_on.u_mac_array.products[9]");
  EXPECT_EQ(site_in_instance("npu.seen[0]", "u_npu", "npu"), "npu.seen[0]");  // a variable of the wrapped top itself
  EXPECT_EQ(site_in_instance("shadow.u_controller.state[2]", "u_npu", "npu"), std::nullopt);  // another instance
  EXPECT_EQ(site_in_instance("g_compare.seen[0]", "u_npu", "npu"), std::nullopt);
}

}  // namespace
}  // namespace npufi
