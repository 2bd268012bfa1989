// The reference NPU. MACS = 32, 64, 128 or 256 multiply-accumulates per cycle, organised as
// ROWS = MACS/8 output channels x COLS = 8 output columns. Buffer sizes scale with MACS.
//
// Protocol: hold rst high for a cycle, put the first command's address on cmd_addr and pulse start;
// the NPU runs the command stream until END (done) or an error (done and error, err_code, err_pc).
// External memory: see npu_dma.
//
// Safety mechanisms (docs/safety-rtl.md), all off by default; `npufi design protect` sets them from a plan:
//   IFM_PROTECTION, WB_PROTECTION   0 none, 1 parity per byte, 2 SECDED per 32-bit word
//   ACC_PARITY                      1: a parity bit per accumulator
//   MAC_COPIES, ACC_COPIES          1; 2 duplication with comparison; 3 triplication with voting
//   CONTROLLER_COPIES, DMA_COPIES, IFM_COPIES, WB_COPIES, OUTPUT_COPIES, STATUS_COPIES
//                                   1; 2 duplication with comparison
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
    parameter int CONTROLLER_COPIES = 1,
    parameter int DMA_COPIES = 1,
    parameter int IFM_COPIES = 1,
    parameter int WB_COPIES = 1,
    parameter int OUTPUT_COPIES = 1,
    parameter int STATUS_COPIES = 1,
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
                           ACC_COPIES != 1 || CONTROLLER_COPIES != 1 || DMA_COPIES != 1 || IFM_COPIES != 1 ||
                           WB_COPIES != 1 || OUTPUT_COPIES != 1 || STATUS_COPIES != 1) ? 1 : 0;
  localparam logic [7:0] ERR_PARITY = 8'h10, ERR_ECC = 8'h11, ERR_COMPARE = 8'h12;

  // Each block's outputs and instance are macros, so that a copy of the block (duplication, *_COPIES = 2)
  // declares the same names in a scope of its own, where they shadow these, and connects alike. A comparator
  // checks the copy's outputs against the block's.
  `define NPU_CONTROLLER_OUTPUTS \
    logic rd_start, param_clear, mac_valid, mac_first, out_valid, out_step, out_first, finish, raise; \
    logic [31:0] rd_addr, out_addr, pc; \
    logic [15:0] rd_words; \
    logic [1:0] rd_dst, out_mode, activation; \
    logic [IAW-3:0] ifm_wbase; \
    logic [COLS*IAW-1:0] lane_addr; \
    logic [COLS-1:0] lane_valid; \
    logic [WRW-1:0] wb_row; \
    logic [RW-1:0] out_channel; \
    logic [NW-1:0] acc_index; \
    logic [7:0] threshold, raise_code;
  `define NPU_CONTROLLER_BUNDLE {rd_start, param_clear, mac_valid, mac_first, out_valid, out_step, out_first, \
    finish, raise, rd_addr, out_addr, pc, rd_words, rd_dst, out_mode, activation, ifm_wbase, lane_addr, \
    lane_valid, wb_row, out_channel, acc_index, threshold, raise_code}
  `define NPU_CONTROLLER \
    npu_controller #(.ROWS(ROWS), .COLS(COLS), .IFM_BYTES(IFM_BYTES), .WB_DEPTH(WB_DEPTH)) u_controller ( \
        .clk, .rst, .start, .cmd_addr, \
        .rd_start, .rd_addr, .rd_words, .rd_dst, .rd_busy, .buf_we, .buf_widx(buf_widx[3:0]), .buf_wdata, \
        .dma_err_range(err_range), .dma_err_align(err_align), \
        .param_clear, .lane_addr, .lane_valid, .ifm_wbase, .wb_row, .mac_valid, .mac_first, \
        .out_valid, .out_mode, .out_step, .out_first, .out_addr, .out_channel, .acc_index, .activation, .threshold, \
        .finish, .raise, .raise_code, .pc);
  // The DMA's word index spans the longest burst (16 bits); each buffer uses only the low bits that
  // address it, and the controller never starts a burst longer than the destination buffer.
  `define NPU_DMA_OUTPUTS \
    logic rd_busy, buf_we, err_range, err_align; \
    logic [31:0] buf_wdata; \
    logic [15:0] buf_widx;
  // ... and the DMA's outputs that are the NPU's (ports of the module; declared again only in a copy)
  `define NPU_DMA_PORTS \
    logic mem_req, mem_we; \
    logic [31:0] mem_addr; \
    logic [7:0] mem_wdata;
  `define NPU_DMA_BUNDLE {rd_busy, buf_we, err_range, err_align, mem_req, mem_we, buf_wdata, mem_addr, buf_widx, \
    mem_wdata}
  `define NPU_DMA \
    npu_dma #(.MEM_BYTES(MEM_BYTES)) u_dma ( \
        .clk, .rst, .rd_start, .rd_addr, .rd_words, .rd_busy, .buf_we, .buf_widx, .buf_wdata, \
        .wr_req(res_valid), .wr_addr(res_addr), .wr_data(res_data), \
        .err_range, .err_align, \
        .mem_req, .mem_we, .mem_addr, .mem_wdata, .mem_rdata, .mem_rvalid);
  `define NPU_IFM_BUFFER_OUTPUTS \
    logic [COLS*8-1:0] ifm_rdata; \
    logic [COLS-1:0] ifm_detected, ifm_corrected;
  `define NPU_IFM_BUFFER_BUNDLE {ifm_rdata, ifm_detected, ifm_corrected}
  `define NPU_IFM_BUFFER \
    npu_ifm_buffer #(.BYTES(IFM_BYTES), .LANES(COLS), .PROTECTION(IFM_PROTECTION)) u_ifm_buffer ( \
        .clk, .we(buf_we && rd_dst == 2'd1), .waddr(buf_widx[IAW-3:0] + ifm_wbase), .wdata(buf_wdata), \
        .raddr(lane_addr), .rdata(ifm_rdata), .detected(ifm_detected), .corrected(ifm_corrected));
  `define NPU_WEIGHT_BUFFER_OUTPUTS \
    logic [ROWS*8-1:0] wb_rdata; \
    logic wb_detected, wb_corrected;
  `define NPU_WEIGHT_BUFFER_BUNDLE {wb_rdata, wb_detected, wb_corrected}
  `define NPU_WEIGHT_BUFFER \
    npu_weight_buffer #(.DEPTH(WB_DEPTH), .ROW_BYTES(ROWS), .PROTECTION(WB_PROTECTION)) u_weight_buffer ( \
        .clk, .we(buf_we && rd_dst == 2'd2), .waddr(buf_widx[WAW-3:0]), .wdata(buf_wdata), \
        .rrow(wb_row), .rdata(wb_rdata), .detected(wb_detected), .corrected(wb_corrected));
  `define NPU_OUTPUT_UNIT_OUTPUTS \
    logic res_valid; \
    logic [31:0] res_addr; \
    logic [7:0] res_data;
  `define NPU_OUTPUT_UNIT_BUNDLE {res_valid, res_addr, res_data}
  `define NPU_OUTPUT_UNIT \
    npu_output_unit #(.ROWS(ROWS)) u_output_unit ( \
        .clk, .rst, .param_clear, .param_we(buf_we && rd_dst == 2'd3), .param_wdata(buf_wdata), \
        .activation, .threshold, .in_valid(out_valid), .in_mode(out_mode), .in_step(out_step), \
        .in_first(out_first), .in_addr(out_addr), .in_channel(out_channel), .in_acc(acc_rdata), .in_window(acts), \
        .out_valid(res_valid), .out_addr(res_addr), .out_data(res_data));
  // The status block's outputs: the NPU's, except that a mismatch of its copy (STATUS_COPIES = 2) says
  // error at once, in the cycle the copies differ, before a faulty done could end the run unflagged.
  `define NPU_STATUS_OUTPUTS \
    logic status_busy, status_done, status_error, status_corrected; \
    logic [7:0] status_err_code; \
    logic [31:0] status_err_pc;
  `define NPU_STATUS_BUNDLE {status_busy, status_done, status_error, status_corrected, status_err_code, status_err_pc}
  `define NPU_STATUS \
    npu_status #(.SAFETY(SAFETY)) u_status ( \
        .clk, .rst, .start, .finish, .raise, .raise_code, .raise_pc(pc), .alarm, .alarm_code, .correct, \
        .busy(status_busy), .done(status_done), .error(status_error), .err_code(status_err_code), \
        .err_pc(status_err_pc), .corrected(status_corrected));
  // The copy of block NAME, with COPIES = 2, in g_NAME_copy.g_on, and the comparator's NAME_mismatch.
  `define NPU_COPY(NAME, COPIES, OUTPUTS, BUNDLE, INSTANCE) \
    logic NAME``_mismatch; \
    if (COPIES == 2) begin : g_``NAME``_copy \
      logic [$bits(BUNDLE)-1:0] primary; \
      assign primary = BUNDLE; \
      if (1) begin : g_on \
        OUTPUTS \
        INSTANCE \
        assign NAME``_mismatch = BUNDLE != primary; \
      end \
    end else begin : g_``NAME``_single \
      assign NAME``_mismatch = 1'b0; \
    end

  `NPU_CONTROLLER_OUTPUTS
  /* verilator lint_off UNUSEDSIGNAL */
  `NPU_DMA_OUTPUTS  // buf_widx: each buffer uses the low bits that address it
  /* verilator lint_on UNUSEDSIGNAL */
  `NPU_IFM_BUFFER_OUTPUTS
  `NPU_WEIGHT_BUFFER_OUTPUTS
  `NPU_OUTPUT_UNIT_OUTPUTS
  `NPU_STATUS_OUTPUTS
  // datapath
  logic [31:0] acc_rdata;
  logic [COLS*8-1:0] acts;
  logic [ROWS*COLS*16-1:0] products;
  logic prod_valid, prod_first;
  // the mechanisms' findings, to the status block
  logic alarm, correct;
  logic [7:0] alarm_code;

  // A copy's outputs hide the block's by design.
  /* verilator lint_off VARHIDDEN */
  `NPU_CONTROLLER
  `NPU_COPY(controller, CONTROLLER_COPIES, `NPU_CONTROLLER_OUTPUTS, `NPU_CONTROLLER_BUNDLE, `NPU_CONTROLLER)
  `NPU_DMA
  `NPU_COPY(dma, DMA_COPIES, `NPU_DMA_OUTPUTS `NPU_DMA_PORTS, `NPU_DMA_BUNDLE, `NPU_DMA)
  `NPU_IFM_BUFFER
  `NPU_COPY(ifm_buffer, IFM_COPIES, `NPU_IFM_BUFFER_OUTPUTS, `NPU_IFM_BUFFER_BUNDLE, `NPU_IFM_BUFFER)
  `NPU_WEIGHT_BUFFER
  `NPU_COPY(weight_buffer, WB_COPIES, `NPU_WEIGHT_BUFFER_OUTPUTS, `NPU_WEIGHT_BUFFER_BUNDLE, `NPU_WEIGHT_BUFFER)

  // padding and columns beyond the row multiply by zero
  for (genvar q = 0; q < COLS; q++) begin : g_mask
    assign acts[q*8 +: 8] = lane_valid[q] ? ifm_rdata[q*8 +: 8] : 8'd0;
  end

  // The MAC array and its copies (MAC_COPIES): each output bundle is {out_valid, out_first, products}.
  // Packed: Verilator copies a whole wide word out of an unpacked array for every slice read from it, and
  // on npu256 that made the simulation 50x slower per cycle than npu64.
  localparam int MW = 2 + ROWS * COLS * 16;
  logic [2:0][MW-1:0] mac_out;
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
  logic [2:0][32:0] acc_out;
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

  `NPU_OUTPUT_UNIT
  `NPU_COPY(output_unit, OUTPUT_COPIES, `NPU_OUTPUT_UNIT_OUTPUTS, `NPU_OUTPUT_UNIT_BUNDLE, `NPU_OUTPUT_UNIT)

  // What the mechanisms found this cycle, counted only where the value read is used: IFM lanes by the MAC
  // array and by the output unit's pool, average and add; weight rows by the MAC array.
  logic ifm_used;
  assign ifm_used = mac_valid || out_step || (out_valid && out_mode != 2'd0);
  always_comb begin
    alarm = 1'b1;
    if (mac_mismatch || acc_mismatch || controller_mismatch || dma_mismatch || ifm_buffer_mismatch ||
        weight_buffer_mismatch || output_unit_mismatch || status_mismatch)
      alarm_code = ERR_COMPARE;
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

  `NPU_STATUS
  `NPU_COPY(status, STATUS_COPIES, `NPU_STATUS_OUTPUTS, `NPU_STATUS_BUNDLE, `NPU_STATUS)
  /* verilator lint_on VARHIDDEN */
  assign {busy, done, error, corrected, err_code, err_pc} =
      status_mismatch ? {1'b0, 1'b1, 1'b1, status_corrected, ERR_COMPARE, status_err_pc} : `NPU_STATUS_BUNDLE;

  assign mac_busy = mac_valid;
  `undef NPU_CONTROLLER_OUTPUTS
  `undef NPU_CONTROLLER_BUNDLE
  `undef NPU_CONTROLLER
  `undef NPU_DMA_OUTPUTS
  `undef NPU_DMA_PORTS
  `undef NPU_DMA_BUNDLE
  `undef NPU_DMA
  `undef NPU_IFM_BUFFER_OUTPUTS
  `undef NPU_IFM_BUFFER_BUNDLE
  `undef NPU_IFM_BUFFER
  `undef NPU_WEIGHT_BUFFER_OUTPUTS
  `undef NPU_WEIGHT_BUFFER_BUNDLE
  `undef NPU_WEIGHT_BUFFER
  `undef NPU_OUTPUT_UNIT_OUTPUTS
  `undef NPU_OUTPUT_UNIT_BUNDLE
  `undef NPU_OUTPUT_UNIT
  `undef NPU_STATUS_OUTPUTS
  `undef NPU_STATUS_BUNDLE
  `undef NPU_STATUS
  `undef NPU_COPY
endmodule
