// Done and error: sticky until the next start (done) or reset (error).
module gemm_status (
    input  logic clk,
    input  logic rst_n,
    input  logic start,
    input  logic finish,
    input  logic raise,
    output logic done,
    output logic error
);
  always_ff @(posedge clk) begin
    if (!rst_n) begin
      done <= 1'b0;
      error <= 1'b0;
    end else if (raise) begin
      done <= 1'b1;
      error <= 1'b1;
    end else if (finish) begin
      done <= 1'b1;
    end else if (start) begin
      done <= 1'b0;
    end
  end
endmodule
