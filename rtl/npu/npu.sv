// The reference NPU. MACS = 32, 64, 128 or 256 multiply-accumulates per cycle, organised as
// ROWS = MACS/8 output channels x COLS = 8 output columns. Buffer sizes scale with MACS.
//
// Protocol: hold rst high for a cycle, put the first command's address on cmd_addr and pulse start;
// the NPU runs the command stream until END (done) or an error (done and error, err_code, err_pc).
// External memory: see npu_dma.
module npu #(
    parameter int MACS = 32,
    parameter int MEM_BYTES = 1 << 20,
    localparam int COLS = 8,
    localparam int ROWS = MACS / COLS,
    localparam int WB_DEPTH = 1024,                      // max reduction length K = C*k*k
    localparam int IFM_BYTES = (MACS <= 64) ? 8192 : 4096 * (MACS / 32)
) (
    input  logic        clk,
    input  logic        rst,
    input  logic        start,
    input  logic [31:0] cmd_addr,
    output logic        busy,
    output logic        done,
    output logic        error,
    output logic [7:0]  err_code,
    output logic [31:0] err_pc,
    output logic        mac_busy,    // the MAC array computes this cycle (for utilisation counts)
    output logic        mem_req,
    output logic        mem_we,
    output logic [31:0] mem_addr,
    output logic [7:0]  mem_wdata,
    input  logic [31:0] mem_rdata,
    input  logic        mem_rvalid
);
  localparam int IAW = $clog2(IFM_BYTES);
  localparam int WAW = $clog2(WB_DEPTH * ROWS);
  localparam int RW = $clog2(ROWS);
  localparam int NW = $clog2(ROWS * COLS);
  localparam int WRW = $clog2(WB_DEPTH);

  // controller <-> DMA
  logic rd_start, rd_busy, buf_we, err_range, err_align;
  logic [31:0] rd_addr, buf_wdata;
  logic [15:0] rd_words;
  // The DMA's word index spans the longest burst (16 bits); each buffer uses only the low bits that
  // address it, and the controller never starts a burst longer than the destination buffer.
  /* verilator lint_off UNUSEDSIGNAL */
  logic [15:0] buf_widx;
  /* verilator lint_on UNUSEDSIGNAL */
  logic [1:0] rd_dst;
  // datapath
  logic param_clear, mac_valid, mac_first, out_valid, out_step, out_first;
  logic [1:0] out_mode;
  logic [IAW-3:0] ifm_wbase;
  logic [COLS*IAW-1:0] lane_addr;
  logic [COLS-1:0] lane_valid;
  logic [WRW-1:0] wb_row;
  logic [31:0] out_addr, acc_rdata;
  logic [RW-1:0] out_channel;
  logic [NW-1:0] acc_index;
  logic [1:0] activation;
  logic [7:0] threshold;
  logic [COLS*8-1:0] ifm_rdata, acts;
  logic [ROWS*8-1:0] wb_rdata;
  logic [ROWS*COLS*16-1:0] products;
  logic prod_valid, prod_first;
  logic res_valid;
  logic [31:0] res_addr;
  logic [7:0] res_data;
  // status
  logic finish, raise;
  logic [7:0] raise_code;
  logic [31:0] pc;

  npu_controller #(.ROWS(ROWS), .COLS(COLS), .IFM_BYTES(IFM_BYTES), .WB_DEPTH(WB_DEPTH)) u_controller (
      .clk, .rst, .start, .cmd_addr,
      .rd_start, .rd_addr, .rd_words, .rd_dst, .rd_busy, .buf_we, .buf_widx(buf_widx[3:0]), .buf_wdata,
      .dma_err_range(err_range), .dma_err_align(err_align),
      .param_clear, .lane_addr, .lane_valid, .ifm_wbase, .wb_row, .mac_valid, .mac_first,
      .out_valid, .out_mode, .out_step, .out_first, .out_addr, .out_channel, .acc_index, .activation, .threshold,
      .finish, .raise, .raise_code, .pc);

  npu_dma #(.MEM_BYTES(MEM_BYTES)) u_dma (
      .clk, .rst, .rd_start, .rd_addr, .rd_words, .rd_busy, .buf_we, .buf_widx, .buf_wdata,
      .wr_req(res_valid), .wr_addr(res_addr), .wr_data(res_data),
      .err_range, .err_align,
      .mem_req, .mem_we, .mem_addr, .mem_wdata, .mem_rdata, .mem_rvalid);

  npu_ifm_buffer #(.BYTES(IFM_BYTES), .LANES(COLS)) u_ifm_buffer (
      .clk, .we(buf_we && rd_dst == 2'd1), .waddr(buf_widx[IAW-3:0] + ifm_wbase), .wdata(buf_wdata),
      .raddr(lane_addr), .rdata(ifm_rdata));

  npu_weight_buffer #(.DEPTH(WB_DEPTH), .ROW_BYTES(ROWS)) u_weight_buffer (
      .clk, .we(buf_we && rd_dst == 2'd2), .waddr(buf_widx[WAW-3:0]), .wdata(buf_wdata),
      .rrow(wb_row), .rdata(wb_rdata));

  // padding and columns beyond the row multiply by zero
  for (genvar q = 0; q < COLS; q++) begin : g_mask
    assign acts[q*8 +: 8] = lane_valid[q] ? ifm_rdata[q*8 +: 8] : 8'd0;
  end

  npu_mac_array #(.ROWS(ROWS), .COLS(COLS)) u_mac_array (
      .clk, .rst, .in_valid(mac_valid), .in_first(mac_first), .weights(wb_rdata), .acts,
      .out_valid(prod_valid), .out_first(prod_first), .products);

  npu_acc_buffer #(.ROWS(ROWS), .COLS(COLS)) u_acc_buffer (
      .clk, .rst, .valid(prod_valid), .first(prod_first), .products, .rindex(acc_index),
      .rdata(acc_rdata));

  npu_output_unit #(.ROWS(ROWS)) u_output_unit (
      .clk, .rst, .param_clear, .param_we(buf_we && rd_dst == 2'd3), .param_wdata(buf_wdata),
      .activation, .threshold, .in_valid(out_valid), .in_mode(out_mode), .in_step(out_step), .in_first(out_first),
      .in_addr(out_addr),
      .in_channel(out_channel), .in_acc(acc_rdata), .in_window(acts),
      .out_valid(res_valid), .out_addr(res_addr), .out_data(res_data));

  npu_status u_status (
      .clk, .rst, .start, .finish, .raise, .raise_code, .raise_pc(pc),
      .busy, .done, .error, .err_code, .err_pc);

  assign mac_busy = mac_valid;
endmodule
