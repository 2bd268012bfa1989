// A small design with known state, for the fault-site discovery and fault-model tests
// (tests/rtl/state_access_test.cpp). Expected sites:
//   counter.count     flop  12 bits       reset
//   counter.wrapped   flop   1 bit        reset
//   ram.mem           sram  16 words x 8  no reset
//   ram.rdata_q       flop   8 bits       no reset (a register without an unpacked dimension is a flop)
//   ram.tags          flop   4 words x 3  cleared (an array with a reset value is a register file)
//   sites_design.seen flop   1 bit        in the top module itself
// and no site for the combinational signals (count_next, rdata, tag_hit, any).
module counter (
    input  logic        clk,
    input  logic        rst,
    output logic [11:0] count
);
  logic [11:0] count_next;
  logic wrapped;
  assign count_next = count + 12'd1;
  always_ff @(posedge clk) begin
    if (rst) begin
      count <= 12'd0;
      wrapped <= 1'b0;
    end else begin
      count <= count_next;
      if (count == 12'hfff) wrapped <= 1'b1;
    end
  end
endmodule

module ram (
    input  logic       clk,
    input  logic       rst,
    input  logic       we,
    input  logic [3:0] waddr,
    input  logic [7:0] wdata,
    input  logic [3:0] raddr,
    output logic [7:0] rdata,
    output logic [7:0] rdata_reg,
    output logic       tag_hit
);
  logic [7:0] mem [16];
  logic [7:0] rdata_q;
  logic [2:0] tags [4];
  always_ff @(posedge clk) begin
    if (we) mem[waddr] <= wdata;
    rdata_q <= mem[raddr];
  end
  always_ff @(posedge clk) begin
    if (rst) begin
      for (int i = 0; i < 4; i++) tags[i] <= 3'd0;
    end else if (we) begin
      tags[waddr[1:0]] <= waddr[3:1];
    end
  end
  assign rdata = mem[raddr];
  assign rdata_reg = rdata_q;
  assign tag_hit = tags[raddr[1:0]] == raddr[3:1];
endmodule

module sites_design (
    input  logic        clk,
    input  logic        rst,
    input  logic        we,
    input  logic [3:0]  waddr,
    input  logic [7:0]  wdata,
    input  logic [3:0]  raddr,
    output logic [11:0] count,
    output logic [7:0]  rdata,
    output logic [7:0]  rdata_reg,
    output logic        tag_hit,
    output logic        any
);
  logic seen;
  counter u_counter (.clk, .rst, .count);
  ram u_ram (.clk, .rst, .we, .waddr, .wdata, .raddr, .rdata, .rdata_reg, .tag_hit);
  always_ff @(posedge clk) begin
    if (rst) seen <= 1'b0;
    else if (we) seen <= 1'b1;
  end
  assign any = seen | tag_hit;
endmodule
