// Status/error register: busy, done, error and the first error's code and command address.
// An error is sticky: the controller stops in its error state and only reset clears it.
//
// The safety mechanisms (docs/safety-rtl.md) report here too: `alarm` is an error they detect this cycle,
// with its code. With SAFETY = 1, `corrected` is a sticky flag of any correction they made.
module npu_status #(
    parameter int SAFETY = 0
) (
    input  logic        clk,
    input  logic        rst,
    input  logic        start,       // run begins: clears done
    input  logic        finish,      // END command reached
    input  logic        raise,       // an error is detected this cycle
    input  logic [7:0]  raise_code,
    input  logic [31:0] raise_pc,
    input  logic        alarm,       // a safety mechanism detects an error this cycle
    input  logic [7:0]  alarm_code,
    input  logic        correct,     // a safety mechanism corrects an error this cycle
    output logic        busy,
    output logic        done,
    output logic        error,
    output logic [7:0]  err_code,
    output logic [31:0] err_pc,
    output logic        corrected
);
  always_ff @(posedge clk) begin
    if (rst) begin
      busy <= 1'b0;
      done <= 1'b0;
      error <= 1'b0;
      err_code <= 8'd0;
      err_pc <= 32'd0;
    end else if ((raise || alarm) && !error) begin
      busy <= 1'b0;
      done <= 1'b1;
      error <= 1'b1;
      err_code <= raise ? raise_code : alarm_code;
      err_pc <= raise_pc;
    end else if (finish) begin
      busy <= 1'b0;
      done <= 1'b1;
    end else if (start && !busy && !done) begin
      busy <= 1'b1;
    end
  end

  if (SAFETY == 1) begin : g_safety
    logic seen;  // here, so that the flag's flop is a site of the mechanism, not of the status block
    always_ff @(posedge clk) begin
      if (rst) seen <= 1'b0;
      else if (correct) seen <= 1'b1;
    end
    assign corrected = seen;
  end else begin : g_plain
    /* verilator lint_off UNUSEDSIGNAL */
    logic unused_correct;
    /* verilator lint_on UNUSEDSIGNAL */
    assign unused_correct = correct;
    assign corrected = 1'b0;
  end
endmodule
