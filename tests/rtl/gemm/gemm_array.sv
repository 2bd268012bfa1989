// The 4 x 4 weight-stationary systolic array with its input skew, output deskew and requantization.
// Row k of the array holds row k of B; element k of an A row enters row k, k cycles late; column n's
// partial sums leave the bottom row, are delayed by 3 - n cycles so that a whole row of C is ready at
// once, shifted right by `shift`, saturated to int8 and packed into one word.
module gemm_array (
    input  logic        clk,
    input  logic        rst_n,
    input  logic        load_w,
    input  logic [1:0]  load_w_row,
    input  logic [31:0] load_w_data,
    input  logic        feed,       // feed_row is an A row this cycle (else zeros enter)
    input  logic [31:0] feed_row,
    input  logic [4:0]  shift,
    output logic        result_valid,
    output logic [31:0] result_row
);
  // valid travels with the data: through the skew (3), the array (4 rows + 3 columns) and the deskew.
  localparam int LATENCY = 7;

  // skew[k] holds element k delayed by 1, 2 and 3 cycles (bytes 0, 1, 2); deskew[n] column n's sums
  // delayed by 1, 2 and 3 cycles (20 bits each). One unpacked dimension each: Verilator exposes no more.
  logic [23:0]        skew [1:3];
  logic [59:0]        deskew [0:2];
  logic signed [7:0]  a [0:3][0:4];     // a[k][n]: activation entering column n of row k
  logic signed [19:0] s [0:4][0:3];     // s[k][n]: partial sum entering row k of column n
  logic [LATENCY-1:0] valid;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      for (int k = 1; k < 4; k++) skew[k] <= 24'd0;
      for (int n = 0; n < 3; n++) deskew[n] <= 60'd0;
      valid <= '0;
    end else begin
      for (int k = 1; k < 4; k++) skew[k] <= {skew[k][15:0], feed ? feed_row[8*k +: 8] : 8'd0};
      for (int n = 0; n < 3; n++) deskew[n] <= {deskew[n][39:0], s[4][n]};
      valid <= {valid[LATENCY-2:0], feed};
    end
  end

  always_comb begin
    a[0][0] = feed ? feed_row[7:0] : 8'sd0;
    for (int k = 1; k < 4; k++) a[k][0] = skew[k][8*(k-1) +: 8];
    for (int n = 0; n < 4; n++) s[0][n] = 20'sd0;
  end

  for (genvar k = 0; k < 4; k++) begin : g_row
    for (genvar n = 0; n < 4; n++) begin : g_col
      gemm_pe u_pe (
          .clk, .rst_n,
          .load(load_w && load_w_row == 2'(k)),
          .w_in(load_w_data[8*n +: 8]),
          .a_in(a[k][n]),
          .sum_in(s[k][n]),
          .a_out(a[k][n+1]),
          .sum_out(s[k+1][n]));
    end
  end

  // Column n's sum for one A row leaves the array n cycles after column 0's.
  function automatic logic [7:0] requant(input logic signed [19:0] acc, input logic [4:0] sh);
    logic signed [19:0] v;
    v = acc >>> sh;
    if (v > 20'sd127) return 8'h7f;
    if (v < -20'sd128) return 8'h80;
    return v[7:0];
  endfunction

  logic signed [19:0] aligned [0:3];
  always_comb begin
    aligned[0] = deskew[0][59:40];
    aligned[1] = deskew[1][39:20];
    aligned[2] = deskew[2][19:0];
    aligned[3] = s[4][3];
    for (int n = 0; n < 4; n++) result_row[8*n +: 8] = requant(aligned[n], shift);
    result_valid = valid[LATENCY-1];
  end
endmodule
