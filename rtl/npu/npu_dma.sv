// DMA: a burst reader (word-aligned, in-order responses) that fills the on-chip buffers, and a byte
// writer for results, both on one external-memory port. The port's outputs are registered; the memory
// answers a read request with mem_rvalid/mem_rdata (little-endian word) one or more cycles later, in
// order. Writes are posted (the memory takes one every cycle).
// Any access outside [0, MEM_BYTES) or a misaligned burst is refused and reported, never issued.
module npu_dma #(
    parameter int MEM_BYTES = 1 << 20
) (
    input  logic        clk,
    input  logic        rst,
    // burst read
    input  logic        rd_start,
    input  logic [31:0] rd_addr,
    input  logic [15:0] rd_words,
    output logic        rd_busy,
    output logic        buf_we,
    output logic [15:0] buf_widx,   // word index within the burst
    output logic [31:0] buf_wdata,
    // byte write
    input  logic        wr_req,
    input  logic [31:0] wr_addr,
    input  logic [7:0]  wr_data,
    // errors (one-cycle pulses)
    output logic        err_range,
    output logic        err_align,
    // external memory port
    output logic        mem_req,
    output logic        mem_we,
    output logic [31:0] mem_addr,
    output logic [7:0]  mem_wdata,
    input  logic [31:0] mem_rdata,
    input  logic        mem_rvalid
);
  logic [31:0] req_addr;
  logic [15:0] req_left, resp_left;
  logic [33:0] rd_end;
  assign rd_end = 34'(rd_addr) + {16'd0, rd_words, 2'b00};

  assign buf_we = rd_busy && mem_rvalid;
  assign buf_wdata = mem_rdata;

  always_ff @(posedge clk) begin
    if (rst) begin
      rd_busy <= 1'b0;
      req_addr <= 32'd0;
      req_left <= 16'd0;
      resp_left <= 16'd0;
      buf_widx <= 16'd0;
      err_range <= 1'b0;
      err_align <= 1'b0;
      mem_req <= 1'b0;
      mem_we <= 1'b0;
      mem_addr <= 32'd0;
      mem_wdata <= 8'd0;
    end else begin
      err_range <= 1'b0;
      err_align <= 1'b0;
      mem_req <= 1'b0;
      mem_we <= 1'b0;
      if (rd_start && rd_words != 16'd0) begin
        if (rd_addr[1:0] != 2'd0) err_align <= 1'b1;
        else if (rd_end > 34'(MEM_BYTES)) err_range <= 1'b1;
        else begin
          rd_busy <= 1'b1;
          req_addr <= rd_addr;
          req_left <= rd_words;
          resp_left <= rd_words;
          buf_widx <= 16'd0;
        end
      end else if (wr_req) begin
        if (wr_addr >= 32'(MEM_BYTES)) err_range <= 1'b1;
        else begin
          mem_req <= 1'b1;
          mem_we <= 1'b1;
          mem_addr <= wr_addr;
          mem_wdata <= wr_data;
        end
      end else if (rd_busy && req_left != 16'd0) begin
        mem_req <= 1'b1;
        mem_addr <= req_addr;
        req_addr <= req_addr + 32'd4;
        req_left <= req_left - 16'd1;
      end
      if (buf_we) begin
        buf_widx <= buf_widx + 16'd1;
        resp_left <= resp_left - 16'd1;
        if (resp_left == 16'd1) rd_busy <= 1'b0;
      end
    end
  end
endmodule
