#include "connect/modbus/modbus_registers.h"

#include <algorithm>
#include <bit>
#include <numeric>

namespace fh::connect {

namespace {

constexpr int kMaxRegisters = 125;  // per read of registers (the protocol's limit)
constexpr int kMaxBits = 2000;      // per read of coils or discrete inputs
constexpr int kMaxGap = 16;         // words read for nothing rather than a second request

bool IsBits(ModbusFunction f) {
  return f == ModbusFunction::kCoil || f == ModbusFunction::kDiscreteInput;
}

}  // namespace

int RegisterSpec::words() const {
  return type == ModbusType::kInt32 || type == ModbusType::kUint32 || type == ModbusType::kFloat32
             ? 2
             : 1;
}

Result<ModbusFunction> ParseModbusFunction(std::string_view text) {
  if (text == "holding") return ModbusFunction::kHoldingRegister;
  if (text == "input") return ModbusFunction::kInputRegister;
  if (text == "coil") return ModbusFunction::kCoil;
  if (text == "discrete") return ModbusFunction::kDiscreteInput;
  return InvalidArgument("function '{}': holding, input, coil or discrete", text);
}

Result<ModbusType> ParseModbusType(std::string_view text) {
  if (text == "bool") return ModbusType::kBool;
  if (text == "int16") return ModbusType::kInt16;
  if (text == "uint16") return ModbusType::kUint16;
  if (text == "int32") return ModbusType::kInt32;
  if (text == "uint32") return ModbusType::kUint32;
  if (text == "float32") return ModbusType::kFloat32;
  return InvalidArgument("type '{}': bool, int16, uint16, int32, uint32 or float32", text);
}

Status CheckRegister(const RegisterSpec& r) {
  if (r.name.empty()) return InvalidArgument("a register needs a name");
  if (r.address < 0 || r.address > 65535) {
    return InvalidArgument("register '{}': address {} is not 0 to 65535", r.name, r.address);
  }
  if (IsBits(r.function) != (r.type == ModbusType::kBool)) {
    return InvalidArgument("register '{}': coils and discrete inputs are bool, registers are not",
                           r.name);
  }
  if (r.address + r.words() > 65536) {
    return InvalidArgument("register '{}': runs past address 65535", r.name);
  }
  return Status::Ok();
}

double DecodeRegister(const RegisterSpec& r, std::span<const uint16_t> w) {
  double v = 0;
  const uint32_t wide = r.words() == 2 ? (r.big_endian_words ? uint32_t{w[0]} << 16 | w[1]
                                                             : uint32_t{w[1]} << 16 | w[0])
                                       : 0;
  switch (r.type) {
    case ModbusType::kBool:
      v = w[0] != 0 ? 1 : 0;
      break;
    case ModbusType::kInt16:
      v = static_cast<int16_t>(w[0]);
      break;
    case ModbusType::kUint16:
      v = w[0];
      break;
    case ModbusType::kInt32:
      v = static_cast<int32_t>(wide);
      break;
    case ModbusType::kUint32:
      v = wide;
      break;
    case ModbusType::kFloat32:
      v = std::bit_cast<float>(wide);
      break;
  }
  return v * r.scale + r.offset;
}

std::vector<ReadBlock> PlanReads(const std::vector<RegisterSpec>& registers) {
  std::vector<size_t> order(registers.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const RegisterSpec &x = registers[a], &y = registers[b];
    return x.function != y.function ? x.function < y.function : x.address < y.address;
  });
  std::vector<ReadBlock> blocks;
  for (size_t i : order) {
    const RegisterSpec& r = registers[i];
    const int limit = IsBits(r.function) ? kMaxBits : kMaxRegisters;
    if (!blocks.empty()) {
      ReadBlock& b = blocks.back();
      const int end = b.address + b.count;
      if (b.function == r.function && r.address <= end + kMaxGap &&
          r.address + r.words() - b.address <= limit) {
        b.count = std::max(end, r.address + r.words()) - b.address;
        b.members.push_back(i);
        continue;
      }
    }
    blocks.push_back({r.function, r.address, r.words(), {i}});
  }
  return blocks;
}

}  // namespace fh::connect
