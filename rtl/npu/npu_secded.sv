// SECDED ECC on 32-bit words: a (39,32) odd-weight-column code after Hsiao (IBM J. Res. Dev. 14(4), 1970).
// Each data bit's column of the check matrix has three of the seven check bits set, so that
//   - a single flipped bit gives a syndrome of odd weight that names it (a data column, or a check bit's
//     own unit column): it is corrected;
//   - two flipped bits give a syndrome of even weight, never zero: detected, not corrected.
// The all-zero word has all-zero check bits, so a memory that starts at zero holds valid code words.
/* verilator lint_off DECLFILENAME */  // the code's package and its two modules live in this one file
package npu_secded_pkg;
  // Column j of the check matrix: the j-th 7-bit value with exactly three bits set, in increasing order.
  localparam logic [6:0] COLUMN[32] = '{
      7'h07, 7'h0b, 7'h0d, 7'h0e, 7'h13, 7'h15, 7'h16, 7'h19, 7'h1a, 7'h1c, 7'h23, 7'h25, 7'h26, 7'h29, 7'h2a, 7'h2c,
      7'h31, 7'h32, 7'h34, 7'h38, 7'h43, 7'h45, 7'h46, 7'h49, 7'h4a, 7'h4c, 7'h51, 7'h52, 7'h54, 7'h58, 7'h61, 7'h62};
endpackage

// The check bits of a data word.
module npu_secded_encode (
    input  logic [31:0] data,
    output logic [6:0]  check
);
  always_comb begin
    check = 7'd0;
    for (int j = 0; j < 32; j++) if (data[j]) check = check ^ npu_secded_pkg::COLUMN[j];
  end
endmodule

// A stored word and its check bits in, the corrected word out, with what was found.
module npu_secded_decode (
    input  logic [31:0] data,
    input  logic [6:0]  check,
    output logic [31:0] corrected_data,
    output logic        corrected,      // one bit was flipped (data or check) and is corrected
    output logic        uncorrectable   // two (or more) bits were flipped: detected, not corrected
);
  logic [6:0] recomputed, syndrome;
  npu_secded_encode u_encode (.data, .check(recomputed));
  assign syndrome = recomputed ^ check;
  logic data_error;
  always_comb begin
    data_error = 1'b0;
    for (int j = 0; j < 32; j++) begin
      corrected_data[j] = data[j] ^ (syndrome == npu_secded_pkg::COLUMN[j]);
      data_error = data_error | (syndrome == npu_secded_pkg::COLUMN[j]);
    end
  end
  // A check bit's own flip: a syndrome with one bit set.
  assign corrected = data_error || (syndrome != 7'd0 && (syndrome & (syndrome - 7'd1)) == 7'd0);
  assign uncorrectable = syndrome != 7'd0 && !corrected;
endmodule
/* verilator lint_on DECLFILENAME */
