// Weight buffer SRAM: DEPTH rows of ROWS_BYTES int8 weights (one row = one reduction step for all MAC
// rows). One 32-bit write port from the DMA, one full-row read port for the MAC array.
// Rows are always loaded before they are read, so no reset.
//
// PROTECTION, as in npu_ifm_buffer: 0 none; 1 a parity bit per byte; 2 SECDED per 32-bit word. `detected`
// and `corrected` cover the row being read.
module npu_weight_buffer #(
    parameter int DEPTH = 1024,
    parameter int ROW_BYTES = 8,
    parameter int PROTECTION = 0,
    localparam int BYTES = DEPTH * ROW_BYTES,
    localparam int AW = $clog2(BYTES),
    localparam int RW = $clog2(DEPTH)
) (
    input  logic                   clk,
    input  logic                   we,
    input  logic [AW-3:0]          waddr,   // word address
    input  logic [31:0]            wdata,
    input  logic [RW-1:0]          rrow,
    output logic [ROW_BYTES*8-1:0] rdata,
    output logic                   detected,
    output logic                   corrected
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
  localparam int WORDS = ROW_BYTES / 4;  // 32-bit words per row

  if (PROTECTION == 1) begin : g_parity
    logic [0:0] parity [BYTES];  // [0:0]: Verilator 5.006 exposes an array of plain bits as one packed word
    always_ff @(posedge clk) begin
      if (we) for (int b = 0; b < 4; b++) parity[{waddr, 2'(b)}] <= ^wdata[b*8 +: 8];
    end
    logic [ROW_BYTES-1:0] wrong;
    for (genvar p = 0; p < ROW_BYTES; p++) begin : g_read
      assign rdata[p*8 +: 8] = mem[{rrow, CW'(p)}];
      assign wrong[p] = (^mem[{rrow, CW'(p)}]) != parity[{rrow, CW'(p)}];
    end
    assign detected = |wrong;
    assign corrected = 1'b0;
  end else if (PROTECTION == 2) begin : g_ecc
    logic [6:0] check [BYTES / 4];
    logic [6:0] wcheck;
    npu_secded_encode u_encode (.data(wdata), .check(wcheck));
    always_ff @(posedge clk) begin
      if (we) check[waddr] <= wcheck;
    end
    logic [WORDS-1:0] fixed_any, wrong;
    for (genvar w = 0; w < WORDS; w++) begin : g_read
      logic [AW-3:0] index;
      assign index = (AW-2)'(rrow) * (AW-2)'(WORDS) + (AW-2)'(w);
      npu_secded_decode u_decode (
          .data({mem[{index, 2'd3}], mem[{index, 2'd2}], mem[{index, 2'd1}], mem[{index, 2'd0}]}),
          .check(check[index]), .corrected_data(rdata[w*32 +: 32]), .corrected(fixed_any[w]), .uncorrectable(wrong[w]));
    end
    assign detected = |wrong;
    assign corrected = |fixed_any;
  end else begin : g_plain
    for (genvar p = 0; p < ROW_BYTES; p++) begin : g_read
      assign rdata[p*8 +: 8] = mem[{rrow, CW'(p)}];
    end
    assign detected = 1'b0;
    assign corrected = 1'b0;
  end
endmodule
