// One processing element: holds its weight, multiplies the activation passing right and adds the
// product to the partial sum passing down.
module gemm_pe (
    input  logic               clk,
    input  logic               rst_n,
    input  logic               load,
    input  logic signed [7:0]  w_in,
    input  logic signed [7:0]  a_in,
    input  logic signed [19:0] sum_in,
    output logic signed [7:0]  a_out,
    output logic signed [19:0] sum_out
);
  logic signed [7:0]  w;
  logic signed [15:0] product;
  assign product = a_in * w;
  always_ff @(posedge clk) begin
    if (!rst_n) begin
      w <= 8'sd0;
      a_out <= 8'sd0;
      sum_out <= 20'sd0;
    end else begin
      if (load) w <= w_in;
      a_out <= a_in;
      sum_out <= sum_in + 20'(product);
    end
  end
endmodule
