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
  // MultiplyByQuantizedMultiplier(x, m, s)
  function automatic logic signed [31:0] requantize(logic signed [31:0] x, logic signed [31:0] m,
                                                    logic signed [31:0] s);
    logic [4:0] left, right;
    logic signed [31:0] a, srdhm, mask, rem, thr;
    logic signed [63:0] ab, v;
    // shift > 0 shifts left, < 0 right; both limited to 31
    left = (s > 0) ? ((s > 31) ? 5'd31 : s[4:0]) : 5'd0;
    right = (s < 0) ? ((s < -31) ? 5'd31 : 5'(-s)) : 5'd0;
    a = x <<< left;  // int32, wraps like the two's complement int32 shift
    // SaturatingRoundingDoublingHighMul(a, m)
    ab = 64'(a) * 64'(m);
    v = ab + ((ab >= 0) ? 64'sd1073741824 : -64'sd1073741823);
    srdhm = (v >= 0) ? 32'(v >>> 31) : 32'((v + 64'sd2147483647) >>> 31);  // division truncating to zero
    if (a == 32'sh80000000 && m == 32'sh80000000) srdhm = 32'sh7fffffff;
    // RoundingDivideByPOT(srdhm, right): round half away from zero
    mask = (32'sd1 <<< right) - 32'sd1;
    rem = srdhm & mask;
    thr = (mask >>> 1) + ((srdhm < 0) ? 32'sd1 : 32'sd0);
    return (srdhm >>> right) + ((rem > thr) ? 32'sd1 : 32'sd0);
  endfunction

  logic signed [31:0] window_sum, total, acc, x, scaled, act, t;
  always_comb begin
    window_sum = 32'sd0;
    for (int q = 0; q < 8; q++) window_sum = window_sum + 32'($signed(in_window[q*8 +: 8]));
    total = (in_first ? 32'sd0 : $signed(sum)) + window_sum;
    case (in_mode)
      2'd2: acc = total;
      2'd3: acc = requantize(32'($signed(in_window[7:0])) <<< 20, $signed(mult[1]), $signed(shift[1])) +
                  requantize(32'($signed(in_window[15:8])) <<< 20, $signed(mult[2]), $signed(shift[2]));
      default: acc = $signed(in_acc);
    endcase
    x = acc + $signed(bias[in_channel]);
    scaled = requantize(x, $signed(mult[in_channel]), $signed(shift[in_channel]));
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
