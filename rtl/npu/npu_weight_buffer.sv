// Weight buffer SRAM: DEPTH rows of ROWS_BYTES int8 weights (one row = one reduction step for all MAC
// rows). One 32-bit write port from the DMA, one full-row read port for the MAC array.
// Rows are always loaded before they are read, so no reset.
module npu_weight_buffer #(
    parameter int DEPTH = 1024,
    parameter int ROW_BYTES = 8,
    localparam int BYTES = DEPTH * ROW_BYTES,
    localparam int AW = $clog2(BYTES),
    localparam int RW = $clog2(DEPTH)
) (
    input  logic                   clk,
    input  logic                   we,
    input  logic [AW-3:0]          waddr,   // word address
    input  logic [31:0]            wdata,
    input  logic [RW-1:0]          rrow,
    output logic [ROW_BYTES*8-1:0] rdata
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
  localparam int CW = $clog2(ROW_BYTES);
  for (genvar p = 0; p < ROW_BYTES; p++) begin : g_read
    assign rdata[p*8 +: 8] = mem[{rrow, CW'(p)}];
  end
endmodule
