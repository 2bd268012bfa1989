#include "analysis/block_area.h"

namespace npufi {

BlockArea BlockArea::part(std::string name, StorageKind storage, uint64_t bits) const {
  // `ge` x bits / of, multiplied first so that whole GE per bit stay exact.
  const auto share = [&](double ge, uint64_t of) { return of > 0 ? ge * double(bits) / double(of) : 0.0; };
  BlockArea unit;
  unit.block = std::move(name);
  unit.parent = block;
  if (storage == StorageKind::flop) {
    unit.flop_bits = bits;
    unit.flop_ge = share(flop_ge, flop_bits);
  } else {
    unit.sram_bits = bits;
    unit.sram_ge = share(sram_ge, sram_bits);
  }
  unit.logic_ge = share(logic_ge, flop_bits + sram_bits);
  return unit;
}

}  // namespace npufi
