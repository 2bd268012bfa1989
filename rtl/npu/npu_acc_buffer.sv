// Accumulator buffer: ROWS x COLS int32 accumulators (wrap-around two's complement). A first product
// replaces the old sum; later ones add to it. One read port for the output unit.
//
// PARITY = 1 (docs/safety-rtl.md) adds a parity bit per accumulator, written with it. It is checked
// wherever the accumulator is used: `detected` flags a wrong parity in the accumulator being read (when
// `rused` says the read counts) and in any accumulator that is being added to.
module npu_acc_buffer #(
    parameter int ROWS = 4,
    parameter int COLS = 8,
    parameter int PARITY = 0,
    localparam int N = ROWS * COLS,
    localparam int IW = $clog2(N)
) (
    input  logic               clk,
    input  logic               rst,
    input  logic               valid,
    input  logic               first,
    input  logic [N*16-1:0]    products,
    input  logic [IW-1:0]      rindex,
    input  logic               rused,
    output logic [31:0]        rdata,
    output logic               detected
);
  logic [31:0] acc [N];
  logic [31:0] next [N];
  for (genvar i = 0; i < N; i++) begin : g_acc
    assign next[i] = (first ? 32'd0 : acc[i]) + 32'($signed(products[i*16 +: 16]));
    always_ff @(posedge clk) begin
      if (rst) acc[i] <= 32'd0;
      else if (valid) acc[i] <= next[i];
    end
  end
  assign rdata = acc[rindex];

  if (PARITY == 1) begin : g_parity
    logic [0:0] parity [N];  // [0:0]: Verilator 5.006 exposes an array of plain bits as one packed word
    logic [N-1:0] wrong;
    for (genvar i = 0; i < N; i++) begin : g_acc
      always_ff @(posedge clk) begin
        if (rst) parity[i] <= 1'b0;
        else if (valid) parity[i] <= ^next[i];
      end
      assign wrong[i] = (^acc[i]) != parity[i];
    end
    assign detected = (rused && wrong[rindex]) || (valid && !first && |wrong);
  end else begin : g_plain
    /* verilator lint_off UNUSEDSIGNAL */
    logic unused_rused;
    /* verilator lint_on UNUSEDSIGNAL */
    assign unused_rused = rused;
    assign detected = 1'b0;
  end
endmodule
