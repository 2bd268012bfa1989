// The outputs of COPIES instances of one block (docs/safety-rtl.md): with one copy they pass through;
// with two, a comparator flags any difference (duplication with comparison); with three, a bitwise
// majority vote masks a difference in one copy (triplication with voting).
module npu_redundancy #(
    parameter int W = 1,
    parameter int COPIES = 1
) (
    input  logic [W-1:0] a,
    input  logic [W-1:0] b,  // unused with one copy
    input  logic [W-1:0] c,  // used with three copies only
    output logic [W-1:0] y,
    output logic         mismatch
);
  /* verilator lint_off UNUSEDSIGNAL */
  logic [W-1:0] unused_b, unused_c;
  /* verilator lint_on UNUSEDSIGNAL */
  if (COPIES == 3) begin : g_vote
    assign y = (a & b) | (a & c) | (b & c);
    assign mismatch = 1'b0;
    assign unused_b = '0;
    assign unused_c = '0;
  end else if (COPIES == 2) begin : g_compare
    assign y = a;
    assign mismatch = a != b;
    assign unused_b = '0;
    assign unused_c = c;
  end else begin : g_single
    assign y = a;
    assign mismatch = 1'b0;
    assign unused_b = b;
    assign unused_c = c;
  end
endmodule
