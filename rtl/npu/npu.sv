// The reference NPU. MACS = 32, 64, 128 or 256 multiply-accumulates per cycle, organised as
// ROWS = MACS/8 output channels x COLS = 8 output columns. Buffer sizes scale with MACS.
//
// Protocol: hold rst high for a cycle, put the first command's address on cmd_addr and pulse start;
// the NPU runs the command stream until END (done) or an error (done and error, err_code, err_pc).
// External memory: see npu_dma.
//
// Safety mechanisms (docs/safety-rtl.md), all off by default; `npufi protect --rtl` sets them from a plan:
//   IFM_PROTECTION, WB_PROTECTION   0 none, 1 parity per byte, 2 SECDED per 32-bit word
//   ACC_PARITY                      1: a parity bit per accumulator
//   MAC_COPIES, ACC_COPIES          1; 2 duplication with comparison; 3 triplication with voting
// A detected error stops the run as the controller's errors do (error, err_code ERR_PARITY, ERR_ECC or
// ERR_COMPARE); `corrected` reports that a mechanism corrected one.
module npu #(
    parameter int MACS = 32,
    parameter int MEM_BYTES = 1 << 20,
    parameter int IFM_PROTECTION = 0,
    parameter int WB_PROTECTION = 0,
    parameter int ACC_PARITY = 0,
    parameter int MAC_COPIES = 1,
    parameter int ACC_COPIES = 1,
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
    output logic        corrected,   // a safety mechanism corrected an error (sticky until reset)
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
  localparam int SAFETY = (IFM_PROTECTION != 0 || WB_PROTECTION != 0 || ACC_PARITY != 0 || MAC_COPIES != 1 ||
                           ACC_COPIES != 1) ? 1 : 0;
  localparam logic [7:0] ERR_PARITY = 8'h10, ERR_ECC = 8'h11, ERR_COMPARE = 8'h12;

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

  logic [COLS-1:0] ifm_detected, ifm_corrected;
  npu_ifm_buffer #(.BYTES(IFM_BYTES), .LANES(COLS), .PROTECTION(IFM_PROTECTION)) u_ifm_buffer (
      .clk, .we(buf_we && rd_dst == 2'd1), .waddr(buf_widx[IAW-3:0] + ifm_wbase), .wdata(buf_wdata),
      .raddr(lane_addr), .rdata(ifm_rdata), .detected(ifm_detected), .corrected(ifm_corrected));

  logic wb_detected, wb_corrected;
  npu_weight_buffer #(.DEPTH(WB_DEPTH), .ROW_BYTES(ROWS), .PROTECTION(WB_PROTECTION)) u_weight_buffer (
      .clk, .we(buf_we && rd_dst == 2'd2), .waddr(buf_widx[WAW-3:0]), .wdata(buf_wdata),
      .rrow(wb_row), .rdata(wb_rdata), .detected(wb_detected), .corrected(wb_corrected));

  // padding and columns beyond the row multiply by zero
  for (genvar q = 0; q < COLS; q++) begin : g_mask
    assign acts[q*8 +: 8] = lane_valid[q] ? ifm_rdata[q*8 +: 8] : 8'd0;
  end

  // The MAC array and its copies (MAC_COPIES): each output bundle is {out_valid, out_first, products}.
  localparam int MW = 2 + ROWS * COLS * 16;
  logic [MW-1:0] mac_out[3];
  logic mac_mismatch;
  npu_mac_array #(.ROWS(ROWS), .COLS(COLS)) u_mac_array (
      .clk, .rst, .in_valid(mac_valid), .in_first(mac_first), .weights(wb_rdata), .acts,
      .out_valid(mac_out[0][MW-1]), .out_first(mac_out[0][MW-2]), .products(mac_out[0][MW-3:0]));
  for (genvar k = 1; k < 3; k++) begin : g_mac_copy
    if (k < MAC_COPIES) begin : g_on
      npu_mac_array #(.ROWS(ROWS), .COLS(COLS)) u_mac_array (
          .clk, .rst, .in_valid(mac_valid), .in_first(mac_first), .weights(wb_rdata), .acts,
          .out_valid(mac_out[k][MW-1]), .out_first(mac_out[k][MW-2]), .products(mac_out[k][MW-3:0]));
    end else begin : g_off
      assign mac_out[k] = '0;
    end
  end
  npu_redundancy #(.W(MW), .COPIES(MAC_COPIES)) u_mac_redundancy (
      .a(mac_out[0]), .b(mac_out[1]), .c(mac_out[2]), .y({prod_valid, prod_first, products}), .mismatch(mac_mismatch));

  // The accumulators and their copies (ACC_COPIES): each output bundle is {detected, rdata}. A read counts
  // for the output unit's convolution and dense outputs.
  logic acc_used;
  assign acc_used = out_valid && out_mode == 2'd0;
  logic [32:0] acc_out[3];
  logic acc_mismatch, acc_detected;
  npu_acc_buffer #(.ROWS(ROWS), .COLS(COLS), .PARITY(ACC_PARITY)) u_acc_buffer (
      .clk, .rst, .valid(prod_valid), .first(prod_first), .products, .rindex(acc_index),
      .rused(acc_used), .rdata(acc_out[0][31:0]), .detected(acc_out[0][32]));
  for (genvar k = 1; k < 3; k++) begin : g_acc_copy
    if (k < ACC_COPIES) begin : g_on
      npu_acc_buffer #(.ROWS(ROWS), .COLS(COLS), .PARITY(ACC_PARITY)) u_acc_buffer (
          .clk, .rst, .valid(prod_valid), .first(prod_first), .products, .rindex(acc_index),
          .rused(acc_used), .rdata(acc_out[k][31:0]), .detected(acc_out[k][32]));
    end else begin : g_off
      assign acc_out[k] = '0;
    end
  end
  npu_redundancy #(.W(33), .COPIES(ACC_COPIES)) u_acc_redundancy (
      .a(acc_out[0]), .b(acc_out[1]), .c(acc_out[2]), .y({acc_detected, acc_rdata}), .mismatch(acc_mismatch));

  npu_output_unit #(.ROWS(ROWS)) u_output_unit (
      .clk, .rst, .param_clear, .param_we(buf_we && rd_dst == 2'd3), .param_wdata(buf_wdata),
      .activation, .threshold, .in_valid(out_valid), .in_mode(out_mode), .in_step(out_step), .in_first(out_first),
      .in_addr(out_addr),
      .in_channel(out_channel), .in_acc(acc_rdata), .in_window(acts),
      .out_valid(res_valid), .out_addr(res_addr), .out_data(res_data));

  // What the mechanisms found this cycle, counted only where the value read is used: IFM lanes by the MAC
  // array and by the output unit's pool, average and add; weight rows by the MAC array.
  logic ifm_used, alarm, correct;
  logic [7:0] alarm_code;
  assign ifm_used = mac_valid || out_step || (out_valid && out_mode != 2'd0);
  always_comb begin
    alarm = 1'b1;
    if (mac_mismatch || acc_mismatch) alarm_code = ERR_COMPARE;
    else if ((ifm_used && |(ifm_detected & lane_valid) && IFM_PROTECTION == 2) || (mac_valid && wb_detected && WB_PROTECTION == 2))
      alarm_code = ERR_ECC;
    else if ((ifm_used && |(ifm_detected & lane_valid)) || (mac_valid && wb_detected) || acc_detected)
      alarm_code = ERR_PARITY;
    else begin
      alarm = 1'b0;
      alarm_code = 8'd0;
    end
  end
  assign correct = (ifm_used && |(ifm_corrected & lane_valid)) || (mac_valid && wb_corrected);

  npu_status #(.SAFETY(SAFETY)) u_status (
      .clk, .rst, .start, .finish, .raise, .raise_code, .raise_pc(pc), .alarm, .alarm_code, .correct,
      .busy, .done, .error, .err_code, .err_pc, .corrected);

  assign mac_busy = mac_valid;
endmodule
