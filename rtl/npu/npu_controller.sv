// Command-stream controller: fetches 64-byte commands from external memory (starting at cmd_addr),
// checks them, and sequences the DMA loads, the MAC array, the output unit and the result writes with
// its loop counters. See docs/npu-command-stream.md for the format.
//
// Conv/FC dataflow (FC is a 1x1 convolution over a C x 1 x 1 input): for each group of ROWS output
// channels: load the group's weights (K rows of ROWS bytes) and parameters; for each output row y and
// each run of COLS output columns x0..x0+COLS-1: K reduction steps (c, ky, kx) on the ROWS x COLS MAC
// array, then ROWS x COLS results through the output unit, one per cycle.
//
// A convolution whose input is larger than the IFM buffer runs banded: before each output row, for
// every input channel, the input rows that row needs (a band of up to `kernel` rows) are loaded into a
// slot of the buffer of bs bytes per channel; the burst starts at the word holding the band's first byte,
// which then sits `delta` bytes into the slot.
//
// Average pool: the input loaded whole, then per channel COLS values a cycle into the output unit's
// running sum, one result per channel. Add: the two inputs stream through the IFM buffer in chunks of
// half its size (the first input in the lower half, the second in the upper), one result a cycle.
module npu_controller #(
    parameter int ROWS = 4,
    parameter int COLS = 8,
    parameter int IFM_BYTES = 8192,
    parameter int WB_DEPTH = 1024,
    localparam int IAW = $clog2(IFM_BYTES),
    localparam int RW = $clog2(ROWS),
    localparam int CW = $clog2(COLS),
    localparam int NW = $clog2(ROWS * COLS),
    localparam int WRW = $clog2(WB_DEPTH)
) (
    input  logic                  clk,
    input  logic                  rst,
    input  logic                  start,
    input  logic [31:0]           cmd_addr,
    // DMA
    output logic                  rd_start,
    output logic [31:0]           rd_addr,
    output logic [15:0]           rd_words,
    output logic [1:0]            rd_dst,     // 0 command registers, 1 IFM buffer, 2 weight buffer, 3 parameters
    input  logic                  rd_busy,
    input  logic                  buf_we,
    input  logic [3:0]            buf_widx,   // word index within a 16-word command fetch
    input  logic [31:0]           buf_wdata,
    input  logic                  dma_err_range,
    input  logic                  dma_err_align,
    // buffers and datapath
    output logic                  param_clear,
    output logic [COLS*IAW-1:0]   lane_addr,
    output logic [COLS-1:0]       lane_valid,
    output logic [IAW-3:0]        ifm_wbase,  // word offset of IFM buffer writes (registered)
    output logic [WRW-1:0]        wb_row,
    output logic                  mac_valid,
    output logic                  mac_first,
    output logic                  out_valid,
    output logic [1:0]            out_mode,   // 0 accumulator, 1 max-pool, 2 average pool, 3 add
    output logic                  out_step,
    output logic                  out_first,
    output logic [31:0]           out_addr,
    output logic [RW-1:0]         out_channel,
    output logic [NW-1:0]         acc_index,
    output logic [1:0]            activation,
    output logic [7:0]            threshold,
    // status
    output logic                  finish,
    output logic                  raise,
    output logic [7:0]            raise_code,
    output logic [31:0]           pc
);
  localparam logic [7:0] OP_CONV = 8'h01, OP_FC = 8'h02, OP_POOL = 8'h03, OP_AVG = 8'h04, OP_ADD = 8'h05,
                         OP_END = 8'hFF;
  localparam int HALF = IFM_BYTES / 2;  // an add's chunk, in bytes
  localparam logic [7:0] ERR_OPCODE = 8'd1, ERR_RANGE = 8'd2, ERR_ALIGN = 8'd3, ERR_CONFIG = 8'd4;

  typedef enum logic [4:0] {
    S_IDLE, S_FETCH, S_DMA, S_DMA_WAIT, S_DECODE, S_GROUP, S_PARAMS, S_TILE, S_MAC, S_DRAIN, S_OUT,
    S_POOL, S_LAYER_PARAMS, S_AVG, S_ADD_A, S_ADD_B, S_ADD, S_BAND, S_FLUSH, S_NEXT, S_DONE, S_ERROR
  } state_t;
  state_t state, after;

  // configuration registers: the 16 words of the current command
  logic [31:0] cfg [16];
  logic [15:0] in_h, in_w, out_c, out_h, out_w;
  logic [3:0]  kernel, padding;
  logic        stride2;
  logic [31:0] w_addr, p_addr, ofm_base;
  // derived
  logic [15:0] kk;            // K = in_c * kernel * kernel
  logic [31:0] hw, ohw;       // in_h * in_w, out_h * out_w
  // loop counters
  logic [15:0] g_base, y, x0, c, r;
  logic [3:0]  ky, kx;
  logic [NW-1:0] oi;
  logic [1:0]  flush;
  // add: elements of each input, the first element of the current chunk
  logic [31:0] elems, base;
  logic [31:0] chunk;  // elements in the current chunk
  assign chunk = (elems - base < 32'(HALF)) ? elems - base : 32'(HALF);
  // banded convolution: on or off for this command, the slot size per channel
  logic        banded;
  logic [15:0] bs;
  // the band of output row y: input rows [r_lo, r_hi); seg, where channel c's band starts in the input
  logic signed [19:0] row0, r_end;
  logic [15:0] r_lo, r_hi, rows;
  logic [31:0] seg;
  always_comb begin
    row0 = (stride2 ? 20'({y, 1'b0}) : 20'(y)) - 20'(padding);
    r_end = row0 + 20'(kernel);
    r_lo = (row0 < 0) ? 16'd0 : row0[15:0];
    r_hi = (r_end < 0) ? 16'd0 : (r_end > 20'(in_h)) ? in_h : r_end[15:0];
    rows = (r_hi > r_lo) ? r_hi - r_lo : 16'd0;
    seg = 32'(48'(c) * 48'(hw)) + 32'(r_lo) * 32'(in_w);
  end

  // ---- command word checks (combinational on the freshly fetched words) ----
  logic        f_small, f_conv_ok, f_pool_ok, f_avg_ok, f_add_ok;
  logic [47:0] f_k, f_in_size, f_bs;
  always_comb begin
    f_small = 1'b1;
    for (int i = 3; i <= 8; i++) if (cfg[i][31:16] != 16'd0 || cfg[i][15:0] == 16'd0) f_small = 1'b0;
    if (cfg[9] == 32'd0 || cfg[9] > 32'd15 || cfg[11] > 32'd15 || cfg[1] > 32'd3) f_small = 1'b0;
    if (cfg[10] != 32'd1 && cfg[10] != 32'd2) f_small = 1'b0;
    f_k = 48'(cfg[3][15:0]) * 48'(cfg[9][3:0]) * 48'(cfg[9][3:0]);
    f_in_size = 48'(cfg[3][15:0]) * 48'(cfg[4][15:0]) * 48'(cfg[5][15:0]);
    f_bs = ((48'(cfg[9][3:0]) * 48'(cfg[5][15:0]) + 48'd6) >> 2) << 2;  // kernel rows + up to 3 bytes of delta
    f_conv_ok = f_small && f_k <= 48'(WB_DEPTH) &&
                (f_in_size <= 48'(IFM_BYTES) || 48'(cfg[3][15:0]) * f_bs <= 48'(IFM_BYTES));
    f_pool_ok = f_small && f_in_size <= 48'(IFM_BYTES) && cfg[3] == cfg[6] &&
                {cfg[7][15:0], 1'b0} <= {1'b0, cfg[4][15:0]} && {cfg[8][15:0], 1'b0} <= {1'b0, cfg[5][15:0]};
    f_avg_ok = f_small && f_in_size <= 48'(IFM_BYTES) && cfg[3] == cfg[6] && cfg[7] == 32'd1 && cfg[8] == 32'd1;
    f_add_ok = f_small && cfg[3] == cfg[6] && cfg[4] == cfg[7] && cfg[5] == cfg[8];
  end

  // ---- lane addresses into the IFM buffer ----
  logic signed [19:0] iy, ix [COLS];
  logic [47:0] lin [COLS];
  always_comb begin
    iy = '0;
    for (int q = 0; q < COLS; q++) begin
      ix[q] = '0;
      if (state == S_AVG) begin  // COLS consecutive values of channel c from x0 on
        lin[q] = 48'(c) * 48'(hw) + 48'(x0) + 48'(q);
        lane_valid[q] = 32'(x0) + 32'(q) < hw;
      end else if (state == S_ADD) begin  // element r of the chunk: lane 0 the first input, lane 1 the second
        lin[q] = 48'(r) + ((q == 1) ? 48'(HALF) : 48'd0);
        lane_valid[q] = (q < 2);
      end else if (state == S_POOL) begin
        iy = 20'({y, 1'b0}) + 20'(q / 2);
        ix[q] = 20'({x0, 1'b0}) + 20'(q % 2);
        lane_valid[q] = (q < 4);
        lin[q] = 48'(c) * 48'(hw) + 48'(iy[15:0]) * 48'(in_w) + 48'(ix[q][15:0]);
      end else begin
        iy = row0 + 20'(ky);
        ix[q] = (stride2 ? 20'({x0, 1'b0}) + 20'(2 * q) : 20'(x0) + 20'(q)) + 20'(kx) - 20'(padding);
        lane_valid[q] = iy >= 0 && iy < 20'(in_h) && ix[q] >= 0 && ix[q] < 20'(in_w) &&
                        17'(x0) + 17'(q) < 17'(out_w);
        if (banded)  // channel c's slot, its delta, then the row within the band
          lin[q] = 48'(c) * 48'(bs) + 48'(seg[1:0]) + 48'(16'(iy[15:0] - r_lo)) * 48'(in_w) + 48'(ix[q][15:0]);
        else
          lin[q] = 48'(c) * 48'(hw) + 48'(iy[15:0]) * 48'(in_w) + 48'(ix[q][15:0]);
      end
      lane_addr[q*IAW +: IAW] = lane_valid[q] ? lin[q][IAW-1:0] : '0;
    end
  end

  // ---- outputs ----
  logic [15:0] o_ch, o_x;
  always_comb begin
    rd_start = (state == S_DMA);
    param_clear = (state == S_DMA) && (rd_dst == 2'd3);
    wb_row = r[WRW-1:0];
    mac_valid = (state == S_MAC);
    mac_first = (state == S_MAC) && (r == 16'd0);
    acc_index = oi;
    out_channel = (state == S_AVG || state == S_ADD) ? '0 : oi[NW-1:CW];
    out_mode = (state == S_POOL) ? 2'd1 : (state == S_AVG) ? 2'd2 : (state == S_ADD) ? 2'd3 : 2'd0;
    out_step = (state == S_AVG);
    out_first = (x0 == 16'd0);
    o_ch = g_base + 16'(oi[NW-1:CW]);
    o_x = x0 + 16'(oi[CW-1:0]);
    if (state == S_POOL) begin
      out_valid = 1'b1;
      out_addr = ofm_base + 32'(48'(c) * 48'(ohw)) + 32'(y) * 32'(out_w) + 32'(x0);
    end else if (state == S_AVG) begin  // the channel's result with its last values
      out_valid = 32'(x0) + 32'(COLS) >= hw;
      out_addr = ofm_base + 32'(c);
    end else if (state == S_ADD) begin
      out_valid = 1'b1;
      out_addr = ofm_base + base + 32'(r);
    end else begin
      out_valid = (state == S_OUT) && o_ch < out_c && o_x < out_w;
      out_addr = ofm_base + 32'(48'(o_ch) * 48'(ohw)) + 32'(y) * 32'(out_w) + 32'(o_x);
    end
  end

  // ---- FSM ----
  logic [15:0] rem_ch;
  assign rem_ch = out_c - g_base;

  always_ff @(posedge clk) begin
    if (rst) begin
      state <= S_IDLE;
      after <= S_IDLE;
      pc <= 32'd0;
      rd_addr <= 32'd0;
      rd_words <= 16'd0;
      rd_dst <= 2'd0;
      for (int i = 0; i < 16; i++) cfg[i] <= 32'd0;
      {in_h, in_w, out_c, out_h, out_w} <= '0;
      {kernel, padding, stride2} <= '0;
      {w_addr, p_addr, ofm_base} <= '0;
      activation <= 2'd0;
      threshold <= 8'd0;
      kk <= 16'd0;
      hw <= 32'd0;
      ohw <= 32'd0;
      {g_base, y, x0, c, r, ky, kx} <= '0;
      oi <= '0;
      flush <= 2'd0;
      {elems, base} <= '0;
      ifm_wbase <= '0;
      banded <= 1'b0;
      bs <= 16'd0;
      finish <= 1'b0;
      raise <= 1'b0;
      raise_code <= 8'd0;
    end else begin
      finish <= 1'b0;
      raise <= 1'b0;
      if (buf_we && rd_dst == 2'd0) cfg[buf_widx] <= buf_wdata;
      if ((dma_err_range || dma_err_align) && state != S_ERROR) begin
        raise <= 1'b1;
        raise_code <= dma_err_range ? ERR_RANGE : ERR_ALIGN;
        state <= S_ERROR;
      end else begin
        case (state)
          S_IDLE: if (start) begin
            pc <= cmd_addr;
            state <= S_FETCH;
          end
          S_FETCH: begin
            rd_addr <= pc;
            rd_words <= 16'd16;
            rd_dst <= 2'd0;
            after <= S_DECODE;
            state <= S_DMA;
          end
          S_DMA: state <= S_DMA_WAIT;
          S_DMA_WAIT: if (!rd_busy) state <= after;
          S_DECODE: begin
            in_h <= cfg[4][15:0];
            in_w <= cfg[5][15:0];
            out_c <= cfg[6][15:0];
            out_h <= cfg[7][15:0];
            out_w <= cfg[8][15:0];
            kernel <= cfg[9][3:0];
            stride2 <= cfg[10][1];
            padding <= cfg[11][3:0];
            w_addr <= cfg[13];
            p_addr <= cfg[14];
            ofm_base <= cfg[15];
            activation <= cfg[1][1:0];
            threshold <= cfg[2][7:0];
            kk <= f_k[15:0];
            hw <= 32'(cfg[4][15:0]) * 32'(cfg[5][15:0]);
            ohw <= 32'(cfg[7][15:0]) * 32'(cfg[8][15:0]);
            {g_base, y, x0, c, r, ky, kx} <= '0;
            oi <= '0;
            elems <= f_in_size[31:0];
            base <= 32'd0;
            ifm_wbase <= '0;
            banded <= f_in_size > 48'(IFM_BYTES);
            bs <= f_bs[15:0];
            // load the whole input feature map
            rd_addr <= cfg[12];
            rd_words <= 16'((f_in_size + 48'd3) >> 2);
            rd_dst <= 2'd1;
            if (cfg[0] == 32'(OP_END)) begin
              finish <= 1'b1;
              state <= S_DONE;
            end else if (cfg[0] == 32'(OP_CONV) || cfg[0] == 32'(OP_FC)) begin
              if (!f_conv_ok) begin
                raise <= 1'b1;
                raise_code <= ERR_CONFIG;
                state <= S_ERROR;
              end else begin
                after <= S_GROUP;
                state <= (f_in_size > 48'(IFM_BYTES)) ? S_GROUP : S_DMA;  // banded: no whole-input load
              end
            end else if (cfg[0] == 32'(OP_POOL)) begin
              if (!f_pool_ok) begin
                raise <= 1'b1;
                raise_code <= ERR_CONFIG;
                state <= S_ERROR;
              end else begin
                after <= S_POOL;
                state <= S_DMA;
              end
            end else if (cfg[0] == 32'(OP_AVG)) begin
              if (!f_avg_ok) begin
                raise <= 1'b1;
                raise_code <= ERR_CONFIG;
                state <= S_ERROR;
              end else begin
                after <= S_LAYER_PARAMS;
                state <= S_DMA;
              end
            end else if (cfg[0] == 32'(OP_ADD)) begin
              if (!f_add_ok) begin
                raise <= 1'b1;
                raise_code <= ERR_CONFIG;
                state <= S_ERROR;
              end else begin
                state <= S_LAYER_PARAMS;
              end
            end else begin
              raise <= 1'b1;
              raise_code <= ERR_OPCODE;
              state <= S_ERROR;
            end
          end
          S_GROUP: begin  // weights of output channels g_base .. g_base+ROWS-1
            rd_addr <= w_addr;
            rd_words <= 16'((32'(kk) * 32'(ROWS)) >> 2);
            rd_dst <= 2'd2;
            w_addr <= w_addr + 32'(kk) * 32'(ROWS);
            after <= S_PARAMS;
            state <= S_DMA;
          end
          S_PARAMS: begin
            rd_addr <= p_addr;
            rd_words <= (rem_ch < 16'(ROWS)) ? rem_ch * 16'd3 : 16'(ROWS * 3);
            rd_dst <= 2'd3;
            p_addr <= p_addr + 32'(ROWS * 12);
            after <= S_TILE;
            state <= S_DMA;
          end
          S_LAYER_PARAMS: begin  // one parameter set for the layer; an add's inputs' rescale after it
            rd_addr <= p_addr;
            rd_words <= (cfg[0] == 32'(OP_ADD)) ? 16'd9 : 16'd3;
            rd_dst <= 2'd3;
            after <= (cfg[0] == 32'(OP_ADD)) ? S_ADD_A : S_AVG;
            state <= S_DMA;
          end
          S_AVG: begin  // x0: the first of this cycle's values of channel c
            if (32'(x0) + 32'(COLS) < hw) x0 <= x0 + 16'(COLS);
            else begin
              x0 <= 16'd0;
              if (c + 16'd1 < out_c) c <= c + 16'd1;
              else begin
                flush <= 2'd0;
                after <= S_NEXT;
                state <= S_FLUSH;
              end
            end
          end
          S_ADD_A: begin  // the chunk of the first input into the lower half of the IFM buffer
            rd_addr <= cfg[12] + base;
            rd_words <= 16'((chunk + 32'd3) >> 2);
            rd_dst <= 2'd1;
            ifm_wbase <= '0;
            r <= 16'd0;
            after <= S_ADD_B;
            state <= S_DMA;
          end
          S_ADD_B: begin  // ... and of the second into the upper half
            rd_addr <= w_addr + base;
            rd_words <= 16'((chunk + 32'd3) >> 2);
            rd_dst <= 2'd1;
            ifm_wbase <= (IAW-2)'(HALF / 4);
            after <= S_ADD;
            state <= S_DMA;
          end
          S_ADD: begin  // element base + r
            r <= r + 16'd1;
            if (32'(r) + 32'd1 >= chunk) begin
              base <= base + 32'(HALF);
              flush <= 2'd0;
              after <= (base + 32'(HALF) < elems) ? S_ADD_A : S_NEXT;
              state <= S_FLUSH;
            end
          end
          S_TILE: begin
            {c, r, ky, kx} <= '0;
            state <= banded ? S_BAND : S_MAC;
          end
          S_BAND: begin  // channel c's band of output row y into its slot; then the row's tiles
            if (c < cfg[3][15:0]) begin
              rd_addr <= cfg[12] + {seg[31:2], 2'b00};
              rd_words <= 16'((32'(seg[1:0]) + 32'(rows) * 32'(in_w) + 32'd3) >> 2);
              rd_dst <= 2'd1;
              ifm_wbase <= (IAW-2)'((32'(c) * 32'(bs)) >> 2);
              c <= c + 16'd1;
              after <= S_BAND;
              state <= S_DMA;
            end else begin
              {c, r, ky, kx} <= '0;
              state <= S_MAC;
            end
          end
          S_MAC: begin
            r <= r + 16'd1;
            if (kx == kernel - 4'd1) begin
              kx <= 4'd0;
              if (ky == kernel - 4'd1) begin
                ky <= 4'd0;
                c <= c + 16'd1;
              end else ky <= ky + 4'd1;
            end else kx <= kx + 4'd1;
            if (r == kk - 16'd1) state <= S_DRAIN;
          end
          S_DRAIN: begin
            oi <= '0;
            state <= S_OUT;
          end
          S_OUT: begin  // only the valid channels x columns of the tile, one per cycle
            if (o_x + 16'd1 >= out_w || oi[CW-1:0] == CW'(COLS - 1)) oi <= {oi[NW-1:CW] + 1'b1, CW'(0)};
            else oi <= oi + 1'b1;
            if ((o_x + 16'd1 >= out_w || oi[CW-1:0] == CW'(COLS - 1)) &&
                (o_ch + 16'd1 >= out_c || oi[NW-1:CW] == RW'(ROWS - 1))) begin
              {c, r, ky, kx} <= '0;
              if (17'(x0) + 17'(COLS) < 17'(out_w)) begin
                x0 <= x0 + 16'(COLS);
                state <= S_MAC;
              end else if (y + 16'd1 < out_h) begin
                x0 <= 16'd0;
                y <= y + 16'd1;
                if (banded) begin  // the next row's band, once the last results have left
                  flush <= 2'd0;
                  after <= S_TILE;
                  state <= S_FLUSH;
                end else state <= S_MAC;
              end else begin
                x0 <= 16'd0;
                y <= 16'd0;
                g_base <= g_base + 16'(ROWS);
                flush <= 2'd0;
                after <= (17'(g_base) + 17'(ROWS) < 17'(out_c)) ? S_GROUP : S_NEXT;
                state <= S_FLUSH;
              end
            end
          end
          S_POOL: begin  // one output element per cycle: x0 is the column, c the channel
            if (x0 + 16'd1 < out_w) x0 <= x0 + 16'd1;
            else begin
              x0 <= 16'd0;
              if (y + 16'd1 < out_h) y <= y + 16'd1;
              else begin
                y <= 16'd0;
                if (c + 16'd1 < out_c) c <= c + 16'd1;
                else begin
                  flush <= 2'd0;
                  after <= S_NEXT;
                  state <= S_FLUSH;
                end
              end
            end
          end
          S_FLUSH: begin  // let the last results leave the output unit and the DMA
            flush <= flush + 2'd1;
            if (flush == 2'd2) state <= after;
          end
          S_NEXT: begin
            pc <= pc + 32'd64;
            state <= S_FETCH;
          end
          default: ;  // S_DONE, S_ERROR: stopped until reset
        endcase
      end
    end
  end
endmodule
