// MAC array: ROWS x COLS int8 multipliers (ROWS output channels x COLS output pixels), one product
// each per cycle, registered. Weights are broadcast along a row, activations along a column.
// The accumulation itself happens in npu_acc_buffer.
module npu_mac_array #(
    parameter int ROWS = 4,
    parameter int COLS = 8
) (
    input  logic                      clk,
    input  logic                      rst,
    input  logic                      in_valid,
    input  logic                      in_first,  // first reduction step of a tile
    input  logic [ROWS*8-1:0]         weights,
    input  logic [COLS*8-1:0]         acts,
    output logic                      out_valid,
    output logic                      out_first,
    output logic [ROWS*COLS*16-1:0]   products
);
  always_ff @(posedge clk) begin
    if (rst) begin
      out_valid <= 1'b0;
      out_first <= 1'b0;
    end else begin
      out_valid <= in_valid;
      out_first <= in_first;
    end
  end
  for (genvar p = 0; p < ROWS; p++) begin : g_row
    for (genvar q = 0; q < COLS; q++) begin : g_col
      always_ff @(posedge clk) begin
        if (rst) products[(p*COLS+q)*16 +: 16] <= 16'd0;
        else if (in_valid)
          products[(p*COLS+q)*16 +: 16] <= 16'($signed(weights[p*8 +: 8]) * $signed(acts[q*8 +: 8]));
      end
    end
  end
endmodule
