// A weight-stationary systolic GEMM accelerator, written independently of rtl/npu to prove that npufi
// works on designs it did not grow up with (docs/your-design.md). It computes C = requant(A x B) for
// A (M x 4, int8), B (4 x 4, int8) and writes C (M x 4, int8) back to memory.
//
// External memory: 32-bit words, one request per cycle, read data valid one cycle after the request.
// A descriptor at word 0: {M, word address of A, word address of B, word address of C}, then
// word 4: the requantization shift (C = saturate(acc >>> shift)).
// An error (M == 0, M > 64, or a region beyond the 4096-word memory) ends the run with done and error.
module gemm #(
    parameter int ROWS = 64  // capacity of the A buffer, in rows
) (
    input  logic        clk,
    input  logic        rst_n,
    input  logic        start,
    output logic        done,
    output logic        error,
    output logic        mem_req,
    output logic        mem_we,
    output logic [11:0] mem_addr,
    output logic [31:0] mem_wdata,
    input  logic        mem_rvalid,
    input  logic [31:0] mem_rdata
);
  logic        buf_we;
  logic [5:0]  buf_waddr, buf_raddr;
  logic [31:0] buf_wdata, buf_rdata;
  logic        load_w;
  logic [1:0]  load_w_row;
  logic [31:0] load_w_data;
  logic        feed;
  logic [31:0] feed_row;
  logic [4:0]  shift;
  logic [31:0] result_row;
  logic        result_valid;
  logic        finish, raise;

  gemm_ctrl #(.ROWS(ROWS)) u_ctrl (
      .clk, .rst_n, .start, .mem_req, .mem_we, .mem_addr, .mem_wdata, .mem_rvalid, .mem_rdata,
      .buf_we, .buf_waddr, .buf_wdata, .buf_raddr, .buf_rdata,
      .load_w, .load_w_row, .load_w_data, .feed, .feed_row, .shift,
      .result_valid, .result_row, .finish, .raise);
  gemm_abuf #(.ROWS(ROWS)) u_abuf (
      .clk, .we(buf_we), .waddr(buf_waddr), .wdata(buf_wdata), .raddr(buf_raddr), .rdata(buf_rdata));
  gemm_array u_array (
      .clk, .rst_n, .load_w, .load_w_row, .load_w_data, .feed, .feed_row, .shift,
      .result_valid, .result_row);
  gemm_status u_status (.clk, .rst_n, .start, .finish, .raise, .done, .error);
endmodule
