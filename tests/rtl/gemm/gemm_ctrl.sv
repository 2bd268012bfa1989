// The controller: fetches the descriptor, checks it, loads B into the array and A into the buffer over
// the memory port, streams A through the array and writes each row of C as it leaves. The memory port's
// outputs are registered: a request made at one clock edge is answered before the next.
module gemm_ctrl #(
    parameter int ROWS = 64
) (
    input  logic        clk,
    input  logic        rst_n,
    input  logic        start,
    output logic        mem_req,
    output logic        mem_we,
    output logic [11:0] mem_addr,
    output logic [31:0] mem_wdata,
    input  logic        mem_rvalid,
    input  logic [31:0] mem_rdata,
    output logic        buf_we,
    output logic [5:0]  buf_waddr,
    output logic [31:0] buf_wdata,
    output logic [5:0]  buf_raddr,
    input  logic [31:0] buf_rdata,
    output logic        load_w,
    output logic [1:0]  load_w_row,
    output logic [31:0] load_w_data,
    output logic        feed,
    output logic [31:0] feed_row,
    output logic [4:0]  shift,
    input  logic        result_valid,
    input  logic [31:0] result_row,
    output logic        finish,
    output logic        raise
);
  typedef enum logic [2:0] {IDLE, DESC, CHECK, LOAD_B, LOAD_A, COMPUTE, FINISHED} state_t;
  localparam int MEM_WORDS = 4096;

  state_t      state;
  logic        waiting;       // a read is outstanding
  logic [6:0]  idx;           // words received in this phase, or A rows fed
  logic [6:0]  out_idx;       // rows of C written
  logic [6:0]  m;
  logic [11:0] addr_a, addr_b, addr_c;
  logic        feed_q;        // the A row read from the buffer last cycle enters the array now

  logic [11:0] read_base;
  always_comb begin
    case (state)
      DESC:    read_base = 12'd0;
      LOAD_B:  read_base = addr_b;
      default: read_base = addr_a;
    endcase
  end

  logic reading;
  assign reading = (state == DESC || state == LOAD_B || state == LOAD_A) && !waiting;

  always_comb begin
    buf_we = state == LOAD_A && waiting && mem_rvalid;
    buf_waddr = idx[5:0];
    buf_wdata = mem_rdata;
    buf_raddr = idx[5:0];
    load_w = state == LOAD_B && waiting && mem_rvalid;
    load_w_row = idx[1:0];
    load_w_data = mem_rdata;
    feed = feed_q;
    feed_row = buf_rdata;
    finish = state == FINISHED;
  end

  // Descriptor checks: the region ends are computed one bit wider than an address.
  logic bad;
  assign bad = m == 7'd0 || m > 7'(ROWS) || 13'(addr_a) + 13'(m) > 13'(MEM_WORDS) ||
               13'(addr_b) + 13'd4 > 13'(MEM_WORDS) || 13'(addr_c) + 13'(m) > 13'(MEM_WORDS);
  assign raise = state == CHECK && bad;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      state <= IDLE;
      waiting <= 1'b0;
      idx <= 7'd0;
      out_idx <= 7'd0;
      m <= 7'd0;
      addr_a <= 12'd0;
      addr_b <= 12'd0;
      addr_c <= 12'd0;
      shift <= 5'd0;
      feed_q <= 1'b0;
      mem_req <= 1'b0;
      mem_we <= 1'b0;
      mem_addr <= 12'd0;
      mem_wdata <= 32'd0;
    end else begin
      if (reading) waiting <= 1'b1;
      mem_req <= reading || (state == COMPUTE && result_valid);
      mem_we <= state == COMPUTE;
      mem_addr <= state == COMPUTE ? addr_c + 12'(out_idx) : read_base + 12'(idx);
      mem_wdata <= result_row;
      case (state)
        IDLE: if (start) begin
          state <= DESC;
          idx <= 7'd0;
        end
        DESC: if (waiting && mem_rvalid) begin
          waiting <= 1'b0;
          idx <= idx + 7'd1;
          case (idx[2:0])
            3'd0: m <= mem_rdata[6:0];
            3'd1: addr_a <= mem_rdata[11:0];
            3'd2: addr_b <= mem_rdata[11:0];
            3'd3: addr_c <= mem_rdata[11:0];
            default: begin
              shift <= mem_rdata[4:0];
              state <= CHECK;
            end
          endcase
        end
        CHECK: begin
          idx <= 7'd0;
          state <= bad ? FINISHED : LOAD_B;
        end
        LOAD_B: if (waiting && mem_rvalid) begin
          waiting <= 1'b0;
          idx <= idx == 7'd3 ? 7'd0 : idx + 7'd1;
          if (idx == 7'd3) state <= LOAD_A;
        end
        LOAD_A: if (waiting && mem_rvalid) begin
          waiting <= 1'b0;
          idx <= idx + 7'd1 == m ? 7'd0 : idx + 7'd1;
          if (idx + 7'd1 == m) begin
            state <= COMPUTE;
            out_idx <= 7'd0;
          end
        end
        COMPUTE: begin
          feed_q <= idx < m;
          if (idx < m) idx <= idx + 7'd1;
          if (result_valid) begin
            out_idx <= out_idx + 7'd1;
            if (out_idx + 7'd1 == m) state <= FINISHED;
          end
        end
        default: ;  // FINISHED: stays until reset
      endcase
    end
  end
endmodule
