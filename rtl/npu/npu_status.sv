// Status/error register: busy, done, error and the first error's code and command address.
// An error is sticky: the controller stops in its error state and only reset clears it.
module npu_status (
    input  logic        clk,
    input  logic        rst,
    input  logic        start,       // run begins: clears done
    input  logic        finish,      // END command reached
    input  logic        raise,       // an error is detected this cycle
    input  logic [7:0]  raise_code,
    input  logic [31:0] raise_pc,
    output logic        busy,
    output logic        done,
    output logic        error,
    output logic [7:0]  err_code,
    output logic [31:0] err_pc
);
  always_ff @(posedge clk) begin
    if (rst) begin
      busy <= 1'b0;
      done <= 1'b0;
      error <= 1'b0;
      err_code <= 8'd0;
      err_pc <= 32'd0;
    end else if (raise && !error) begin
      busy <= 1'b0;
      done <= 1'b1;
      error <= 1'b1;
      err_code <= raise_code;
      err_pc <= raise_pc;
    end else if (finish) begin
      busy <= 1'b0;
      done <= 1'b1;
    end else if (start && !busy && !done) begin
      busy <= 1'b1;
    end
  end
endmodule
