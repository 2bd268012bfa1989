// Output unit: per-channel parameter registers (bias, multiplier, shift for ROWS channels, loaded by the
// DMA), then bias add, TFLite requantization (MultiplyByQuantizedMultiplier), activation and clamp to
// int8. What is requantized depends on the mode:
//   0 conv/fc: the accumulator of the MAC array;
//   1 max-pool: nothing, the result is the maximum of the first four window bytes;
//   2 average pool: a running sum of the window bytes (every in_step cycle, restarted by in_first),
//     with the parameters of channel 0;
//   3 add: window bytes 0 and 1, each shifted left by 20 and rescaled with the multiplier and shift of
//     parameter channels 1 and 2, summed, then requantized with channel 0 (TFLite's ADD).
// One result per cycle, registered.
module npu_output_unit #(
    parameter int ROWS = 4,
    localparam int RW = $clog2(ROWS)
) (
    input  logic              clk,
    input  logic              rst,
    // parameter load: words arrive in order bias, multiplier, shift of channel 0, 1, ...
    input  logic              param_clear,
    input  logic              param_we,
    input  logic [31:0]       param_wdata,
    // configuration of the current layer
    input  logic [1:0]        activation,   // 0 none, 1 relu, 2 clip_saturate, 3 clip_to_zero
    input  logic [7:0]        threshold,    // int8
    // one element
    input  logic              in_valid,     // a result this cycle
    input  logic [1:0]        in_mode,
    input  logic              in_step,      // average pool: add the window to the running sum
    input  logic              in_first,     // average pool: the window starts a new sum
    input  logic [31:0]       in_addr,
    input  logic [RW-1:0]     in_channel,
    input  logic [31:0]       in_acc,
    input  logic [63:0]       in_window,    // eight int8 values (pool, average pool, add)
    output logic              out_valid,
    output logic [31:0]       out_addr,
    output logic [7:0]        out_data
);
  logic [31:0] bias [ROWS];
  logic [31:0] mult [ROWS];
  logic [31:0] shift [ROWS];
  logic [1:0]  field;
  logic [RW-1:0] pchan;
  logic [31:0] sum;  // average pool: the running sum of the current channel

  always_ff @(posedge clk) begin
    if (rst) begin
      field <= 2'd0;
      pchan <= '0;
      for (int i = 0; i < ROWS; i++) begin
        bias[i] <= 32'd0;
        mult[i] <= 32'd0;
        shift[i] <= 32'd0;
      end
    end else if (param_clear) begin
      field <= 2'd0;
      pchan <= '0;
    end else if (param_we) begin
      case (field)
        2'd0: bias[pchan] <= param_wdata;
        2'd1: mult[pchan] <= param_wdata;
        default: shift[pchan] <= param_wdata;
      endcase
      if (field == 2'd2) begin
        field <= 2'd0;
        pchan <= pchan + 1'b1;
      end else begin
        field <= field + 2'd1;
      end
    end
  end

  // ---- requantization, exactly as models/quantized_network.h ----

  logic signed [31:0] window_sum, total, acc, x, scaled, act, t, rescaled_a, rescaled_b, a_in, b_in;
  // add: each input shifted left by 20 and rescaled with parameter channels 1 and 2
  assign a_in = 32'($signed(in_window[7:0])) <<< 20;
  assign b_in = 32'($signed(in_window[15:8])) <<< 20;
  npu_requantize u_rescale_a (.x(a_in), .m(mult[1]), .s(shift[1]), .y(rescaled_a));
  npu_requantize u_rescale_b (.x(b_in), .m(mult[2]), .s(shift[2]), .y(rescaled_b));
  npu_requantize u_requantize (.x(x), .m(mult[in_channel]), .s(shift[in_channel]), .y(scaled));
  always_comb begin
    window_sum = 32'sd0;
    for (int q = 0; q < 8; q++) window_sum = window_sum + 32'($signed(in_window[q*8 +: 8]));
    total = (in_first ? 32'sd0 : $signed(sum)) + window_sum;
    case (in_mode)
      2'd2: acc = total;
      2'd3: acc = rescaled_a + rescaled_b;
      default: acc = $signed(in_acc);
    endcase
    x = acc + $signed(bias[in_channel]);
    t = 32'($signed(threshold));
    case (activation)
      2'd0: act = scaled;
      2'd1: act = (scaled > 0) ? scaled : 32'sd0;
      2'd2: act = (((scaled > 0) ? scaled : 32'sd0) > t) ? t : ((scaled > 0) ? scaled : 32'sd0);
      default: act = (scaled > t) ? 32'sd0 : ((scaled > 0) ? scaled : 32'sd0);
    endcase
  end

  logic signed [7:0] w0, w1, w2, w3, m01, m23, pooled;
  always_comb begin
    w0 = $signed(in_window[7:0]);
    w1 = $signed(in_window[15:8]);
    w2 = $signed(in_window[23:16]);
    w3 = $signed(in_window[31:24]);
    m01 = (w0 > w1) ? w0 : w1;
    m23 = (w2 > w3) ? w2 : w3;
    pooled = (m01 > m23) ? m01 : m23;
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      out_valid <= 1'b0;
      out_addr <= 32'd0;
      out_data <= 8'd0;
      sum <= 32'd0;
    end else begin
      out_valid <= in_valid;
      out_addr <= in_addr;
      if (in_step) sum <= total;
      if (in_mode == 2'd1) out_data <= pooled;
      else if (act > 127) out_data <= 8'sd127;
      else if (act < -128) out_data <= -8'sd128;
      else out_data <= act[7:0];
    end
  end
endmodule
