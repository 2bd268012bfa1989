// Input-feature-map buffer SRAM: BYTES int8 entries, one 32-bit write port (from the DMA) and LANES
// byte read ports (one per MAC column; physically 2*LANES interleaved banks, so stride-1 and stride-2
// lane patterns never conflict). Reads are combinational. Never read before written: the controller
// masks padding lanes, so no reset is needed (nor possible for an SRAM).
//
// PROTECTION (docs/safety-rtl.md): 0 none; 1 a parity bit per byte; 2 SECDED per 32-bit word, corrected
// on read. The check bits are a memory of their own (g_parity.parity, g_ecc.check), so the data memory
// keeps the layout of the unprotected buffer. Per lane, `detected` flags a parity error or an
// uncorrectable word, `corrected` a corrected one; the user of the lane decides whether the read counts.
module npu_ifm_buffer #(
    parameter int BYTES = 8192,
    parameter int LANES = 8,
    parameter int PROTECTION = 0,
    localparam int AW = $clog2(BYTES)
) (
    input  logic                  clk,
    input  logic                  we,
    input  logic [AW-3:0]         waddr,   // word address
    input  logic [31:0]           wdata,
    input  logic [LANES*AW-1:0]   raddr,
    output logic [LANES*8-1:0]    rdata,
    output logic [LANES-1:0]      detected,
    output logic [LANES-1:0]      corrected
);
  logic [7:0] mem [BYTES];
  always_ff @(posedge clk) begin
    if (we) begin
      mem[{waddr, 2'd0}] <= wdata[7:0];
      mem[{waddr, 2'd1}] <= wdata[15:8];
      mem[{waddr, 2'd2}] <= wdata[23:16];
      mem[{waddr, 2'd3}] <= wdata[31:24];
    end
  end

  if (PROTECTION == 1) begin : g_parity
    logic [0:0] parity [BYTES];  // [0:0]: Verilator 5.006 exposes an array of plain bits as one packed word
    always_ff @(posedge clk) begin
      if (we) for (int b = 0; b < 4; b++) parity[{waddr, 2'(b)}] <= ^wdata[b*8 +: 8];
    end
    for (genvar q = 0; q < LANES; q++) begin : g_lane
      logic [AW-1:0] a;
      assign a = raddr[q*AW +: AW];
      assign rdata[q*8 +: 8] = mem[a];
      assign detected[q] = (^mem[a]) != parity[a];
      assign corrected[q] = 1'b0;
    end
  end else if (PROTECTION == 2) begin : g_ecc
    logic [6:0] check [BYTES / 4];
    logic [6:0] wcheck;
    npu_secded_encode u_encode (.data(wdata), .check(wcheck));
    always_ff @(posedge clk) begin
      if (we) check[waddr] <= wcheck;
    end
    for (genvar q = 0; q < LANES; q++) begin : g_lane
      logic [AW-3:0] w;
      logic [1:0] b;
      logic [31:0] word;
      assign {w, b} = raddr[q*AW +: AW];
      assign word = {mem[{w, 2'd3}], mem[{w, 2'd2}], mem[{w, 2'd1}], mem[{w, 2'd0}]};
      logic [31:0] fixed;
      npu_secded_decode u_decode (.data(word), .check(check[w]), .corrected_data(fixed), .corrected(corrected[q]),
                                  .uncorrectable(detected[q]));
      assign rdata[q*8 +: 8] = fixed[b*8 +: 8];
    end
  end else begin : g_plain
    for (genvar q = 0; q < LANES; q++) begin : g_lane
      assign rdata[q*8 +: 8] = mem[raddr[q*AW +: AW]];
    end
    assign detected = '0;
    assign corrected = '0;
  end
endmodule
