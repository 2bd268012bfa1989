// The NPU's safety mechanisms (rtl/npu, docs/safety-rtl.md) on small instances, for the exhaustive
// tests of tests/rtl/safety_mechanisms_test.cpp. The mechanisms' own storage is injected into through the
// fault sites, as a campaign does:
//   u_ifm_ecc     npu_ifm_buffer, 16 bytes, one lane, SECDED per 32-bit word
//   u_ifm_parity  npu_ifm_buffer, 16 bytes, one lane, a parity bit per byte
//   u_acc         npu_acc_buffer, 2 accumulators with a parity bit each
module safety_harness (
    input  logic        clk,
    input  logic        rst,
    input  logic        we,
    input  logic [1:0]  waddr,
    input  logic [31:0] wdata,
    input  logic [3:0]  raddr,
    output logic [7:0]  ecc_rdata,
    output logic        ecc_detected,
    output logic        ecc_corrected,
    output logic [7:0]  parity_rdata,
    output logic        parity_detected,
    input  logic        acc_valid,
    input  logic        acc_first,
    input  logic [31:0] acc_products,
    input  logic        acc_rindex,
    input  logic        acc_rused,
    output logic [31:0] acc_rdata,
    output logic        acc_detected
);
  /* verilator lint_off UNUSEDSIGNAL */
  logic parity_corrected;
  /* verilator lint_on UNUSEDSIGNAL */
  npu_ifm_buffer #(.BYTES(16), .LANES(1), .PROTECTION(2)) u_ifm_ecc (
      .clk, .we, .waddr, .wdata, .raddr, .rdata(ecc_rdata), .detected(ecc_detected), .corrected(ecc_corrected));
  npu_ifm_buffer #(.BYTES(16), .LANES(1), .PROTECTION(1)) u_ifm_parity (
      .clk, .we, .waddr, .wdata, .raddr, .rdata(parity_rdata), .detected(parity_detected),
      .corrected(parity_corrected));
  npu_acc_buffer #(.ROWS(1), .COLS(2), .PARITY(1)) u_acc (
      .clk, .rst, .valid(acc_valid), .first(acc_first), .products(acc_products), .rindex(acc_rindex),
      .rused(acc_rused), .rdata(acc_rdata), .detected(acc_detected));
endmodule
