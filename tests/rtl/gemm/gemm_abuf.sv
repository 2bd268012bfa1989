// The A buffer: one 32-bit row (four int8 elements) per word, a synchronous read port.
module gemm_abuf #(
    parameter int ROWS = 64
) (
    input  logic        clk,
    input  logic        we,
    input  logic [5:0]  waddr,
    input  logic [31:0] wdata,
    input  logic [5:0]  raddr,
    output logic [31:0] rdata
);
  logic [31:0] rows [0:ROWS-1];
  always_ff @(posedge clk) begin
    if (we) rows[waddr] <= wdata;
    rdata <= rows[raddr];
  end
endmodule
