// A Modbus device's register map, and how raw registers become values: the function that
// reads them (holding or input registers, coils, discrete inputs), the type (int16,
// uint16, int32, uint32, float32), the word order of 32-bit values (big: high word first,
// as the Modbus spec's byte order suggests; little: low word first, as many PLCs store
// them), then value x scale + offset. Reads are merged into as few requests as possible:
// registers of one function within 125 words (the protocol's limit) and with gaps of at
// most 16 words between them share a request. Pure logic.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"

namespace fh::connect {

enum class ModbusFunction { kCoil, kDiscreteInput, kHoldingRegister, kInputRegister };
enum class ModbusType { kBool, kInt16, kUint16, kInt32, kUint32, kFloat32 };

struct RegisterSpec {
  std::string name;  // the tag's name after the connector's prefix
  int address = 0;   // 0-based protocol address
  ModbusFunction function = ModbusFunction::kHoldingRegister;
  ModbusType type = ModbusType::kUint16;
  bool big_endian_words = true;  // 32-bit values: high word first
  double scale = 1, offset = 0;
  std::string unit;  // documentation of the value's unit ("°C")

  int words() const;  // registers (or bits) it takes: 1 or 2
};

Result<ModbusFunction> ParseModbusFunction(std::string_view text);
Result<ModbusType> ParseModbusType(std::string_view text);
// Registers hold types of 16 or 32 bits; coils and discrete inputs only bool.
Status CheckRegister(const RegisterSpec& r);

// The value of `r` from its words (registers) or bits (one uint16 each, 0 or 1).
double DecodeRegister(const RegisterSpec& r, std::span<const uint16_t> words);

// One request: `count` registers or bits from `address`, feeding registers `members`.
struct ReadBlock {
  ModbusFunction function;
  int address = 0;
  int count = 0;
  std::vector<size_t> members;  // indexes into the register map
};
std::vector<ReadBlock> PlanReads(const std::vector<RegisterSpec>& registers);

}  // namespace fh::connect
