// Dual-core lockstep (DCLS) of the whole NPU (docs/safety-rtl.md): the NPU and a shadow copy take the same
// inputs; a comparator checks every output of the two each cycle. The outputs are the NPU's; from the
// first difference on, in that same cycle, they say done with error (err_code ERR_LOCKSTEP) and request
// nothing from memory, so that no faulty output leaves the NPU unflagged. The shadow drives nothing but
// the comparator. Ports and parameters as npu.
module npu_lockstep #(
    parameter int MACS = 32,
    parameter int MEM_BYTES = 1 << 20
) (
    input  logic        clk,
    input  logic        rst,
    input  logic        start,
    input  logic [31:0] cmd_addr,
    output logic        busy,
    output logic        done,
    output logic        error,
    output logic [7:0]  err_code,
    output logic [31:0] err_pc,
    output logic        mac_busy,
    output logic        corrected,
    output logic        mem_req,
    output logic        mem_we,
    output logic [31:0] mem_addr,
    output logic [7:0]  mem_wdata,
    input  logic [31:0] mem_rdata,
    input  logic        mem_rvalid
);
  localparam logic [7:0] ERR_LOCKSTEP = 8'h13;
  // Each copy's outputs: {busy, done, error, err_code, err_pc, mac_busy, corrected, mem_req, mem_we,
  // mem_addr, mem_wdata}.
  localparam int W = 3 + 8 + 32 + 2 + 2 + 32 + 8;
  logic [W-1:0] main_out, shadow_out;
  npu #(.MACS(MACS), .MEM_BYTES(MEM_BYTES)) u_npu (
      .clk, .rst, .start, .cmd_addr, .busy(main_out[W-1]), .done(main_out[W-2]), .error(main_out[W-3]),
      .err_code(main_out[W-4 -: 8]), .err_pc(main_out[W-12 -: 32]), .mac_busy(main_out[W-44]),
      .corrected(main_out[W-45]), .mem_req(main_out[W-46]), .mem_we(main_out[W-47]),
      .mem_addr(main_out[W-48 -: 32]), .mem_wdata(main_out[7:0]), .mem_rdata, .mem_rvalid);
  npu #(.MACS(MACS), .MEM_BYTES(MEM_BYTES)) u_shadow (
      .clk, .rst, .start, .cmd_addr, .busy(shadow_out[W-1]), .done(shadow_out[W-2]), .error(shadow_out[W-3]),
      .err_code(shadow_out[W-4 -: 8]), .err_pc(shadow_out[W-12 -: 32]), .mac_busy(shadow_out[W-44]),
      .corrected(shadow_out[W-45]), .mem_req(shadow_out[W-46]), .mem_we(shadow_out[W-47]),
      .mem_addr(shadow_out[W-48 -: 32]), .mem_wdata(shadow_out[7:0]), .mem_rdata, .mem_rvalid);

  // The comparator, in a scope of its own so that its flop is a site of the mechanism.
  logic mismatch;
  if (1) begin : g_compare
    logic seen;  // a difference was seen: sticky until reset
    always_ff @(posedge clk) begin
      if (rst) seen <= 1'b0;
      else if (main_out != shadow_out) seen <= 1'b1;
    end
    assign mismatch = seen || main_out != shadow_out;
  end

  assign {busy, done, error, err_code, err_pc, mac_busy, corrected, mem_req, mem_we, mem_addr, mem_wdata} =
      mismatch ? {1'b0, 1'b1, 1'b1, (main_out[W-3] ? main_out[W-4 -: 8] : ERR_LOCKSTEP), main_out[W-12 -: 32],
                  main_out[W-44 -: 2], 1'b0, 1'b0, 40'd0}
               : main_out;
endmodule
