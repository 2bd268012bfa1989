// Input-feature-map buffer SRAM: BYTES int8 entries, one 32-bit write port (from the DMA) and LANES
// byte read ports (one per MAC column; physically 2*LANES interleaved banks, so stride-1 and stride-2
// lane patterns never conflict). Reads are combinational. Never read before written: the controller
// masks padding lanes, so no reset is needed (nor possible for an SRAM).
module npu_ifm_buffer #(
    parameter int BYTES = 8192,
    parameter int LANES = 8,
    localparam int AW = $clog2(BYTES)
) (
    input  logic                  clk,
    input  logic                  we,
    input  logic [AW-3:0]         waddr,   // word address
    input  logic [31:0]           wdata,
    input  logic [LANES*AW-1:0]   raddr,
    output logic [LANES*8-1:0]    rdata
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
  for (genvar q = 0; q < LANES; q++) begin : g_read
    assign rdata[q*8 +: 8] = mem[raddr[q*AW +: AW]];
  end
endmodule
