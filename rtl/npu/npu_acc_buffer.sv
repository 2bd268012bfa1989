// Accumulator buffer: ROWS x COLS int32 accumulators (wrap-around two's complement). A first product
// replaces the old sum; later ones add to it. One read port for the output unit.
module npu_acc_buffer #(
    parameter int ROWS = 4,
    parameter int COLS = 8,
    localparam int N = ROWS * COLS,
    localparam int IW = $clog2(N)
) (
    input  logic               clk,
    input  logic               rst,
    input  logic               valid,
    input  logic               first,
    input  logic [N*16-1:0]    products,
    input  logic [IW-1:0]      rindex,
    output logic [31:0]        rdata
);
  logic [31:0] acc [N];
  for (genvar i = 0; i < N; i++) begin : g_acc
    always_ff @(posedge clk) begin
      if (rst) acc[i] <= 32'd0;
      else if (valid)
        acc[i] <= (first ? 32'd0 : acc[i]) + 32'($signed(products[i*16 +: 16]));
    end
  end
  assign rdata = acc[rindex];
endmodule
