// TFLite's MultiplyByQuantizedMultiplier(x, m, s), combinational: shift > 0 shifts left before the
// multiply, < 0 right after it (both limited to 31), exactly as models/quantized_network.h defines it.
module npu_requantize (
    input  logic signed [31:0] x,
    input  logic signed [31:0] m,
    input  logic signed [31:0] s,
    output logic signed [31:0] y
);
  logic [4:0] left, right;
  logic signed [31:0] a, srdhm, mask, rem, thr;
  logic signed [63:0] ab, v;
  always_comb begin
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
    y = (srdhm >>> right) + ((rem > thr) ? 32'sd1 : 32'sd0);
  end
endmodule
