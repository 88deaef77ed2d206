// Register maps: decoding each type and word order with scale and offset, and merging
// registers into few requests.
#include "connect/modbus/modbus_registers.h"

#include <gtest/gtest.h>

#include <bit>

namespace fh::connect {
namespace {

RegisterSpec Reg(ModbusType type, bool big = true, double scale = 1, double offset = 0) {
  RegisterSpec r;
  r.name = "r";
  r.type = type;
  r.big_endian_words = big;
  r.scale = scale;
  r.offset = offset;
  return r;
}

TEST(ModbusRegistersTest, DecodesEveryTypeAndWordOrder) {
  const uint16_t minus_two[] = {0xFFFE};
  EXPECT_EQ(DecodeRegister(Reg(ModbusType::kInt16), minus_two), -2);
  EXPECT_EQ(DecodeRegister(Reg(ModbusType::kUint16), minus_two), 65534);
  EXPECT_DOUBLE_EQ(DecodeRegister(Reg(ModbusType::kInt16, true, 0.1, 273.15), minus_two),
                   -0.2 + 273.15);
  const uint16_t big[] = {0x0001, 0x0002};  // 65538 high word first
  EXPECT_EQ(DecodeRegister(Reg(ModbusType::kUint32), big), 65538);
  EXPECT_EQ(DecodeRegister(Reg(ModbusType::kUint32, false), big), 131073);  // 0x00020001
  const uint16_t negative[] = {0xFFFF, 0xFFFE};
  EXPECT_EQ(DecodeRegister(Reg(ModbusType::kInt32), negative), -2);
  const uint32_t bits = std::bit_cast<uint32_t>(71.5f);
  const uint16_t f_big[] = {static_cast<uint16_t>(bits >> 16), static_cast<uint16_t>(bits)};
  const uint16_t f_little[] = {static_cast<uint16_t>(bits), static_cast<uint16_t>(bits >> 16)};
  EXPECT_EQ(DecodeRegister(Reg(ModbusType::kFloat32), f_big), 71.5);
  EXPECT_EQ(DecodeRegister(Reg(ModbusType::kFloat32, false), f_little), 71.5);
  const uint16_t on[] = {1};
  EXPECT_EQ(DecodeRegister(Reg(ModbusType::kBool), on), 1);
}

TEST(ModbusRegistersTest, ReadsAreMergedWithinLimits) {
  std::vector<RegisterSpec> regs;
  auto add = [&](int address, ModbusFunction f, ModbusType t) {
    RegisterSpec r = Reg(t);
    r.name = "r" + std::to_string(regs.size());
    r.address = address;
    r.function = f;
    regs.push_back(r);
  };
  add(100, ModbusFunction::kHoldingRegister, ModbusType::kInt16);    // 0
  add(102, ModbusFunction::kHoldingRegister, ModbusType::kFloat32);  // 1: 102-103
  add(110, ModbusFunction::kHoldingRegister, ModbusType::kUint16);   // 2: gap 6, merged
  add(200, ModbusFunction::kHoldingRegister, ModbusType::kUint16);   // 3: gap 89, apart
  add(5, ModbusFunction::kCoil, ModbusType::kBool);                  // 4
  add(6, ModbusFunction::kCoil, ModbusType::kBool);                  // 5
  add(300, ModbusFunction::kInputRegister, ModbusType::kUint32);     // 6
  add(212, ModbusFunction::kHoldingRegister, ModbusType::kUint16);   // 7: gap 11 after 200
  const std::vector<ReadBlock> plan = PlanReads(regs);
  ASSERT_EQ(plan.size(), 4u);
  EXPECT_EQ(plan[0].function, ModbusFunction::kCoil);
  EXPECT_EQ(plan[0].address, 5);
  EXPECT_EQ(plan[0].count, 2);
  EXPECT_EQ(plan[1].address, 100);
  EXPECT_EQ(plan[1].count, 11);
  EXPECT_EQ(plan[1].members, (std::vector<size_t>{0, 1, 2}));
  EXPECT_EQ(plan[2].address, 200);
  EXPECT_EQ(plan[2].count, 13);  // 200..212
  EXPECT_EQ(plan[3].function, ModbusFunction::kInputRegister);
  EXPECT_EQ(plan[3].count, 2);

  // No request reads more than 125 registers, however close the registers are.
  std::vector<RegisterSpec> row;
  for (int a = 0; a <= 200; a += 10) {
    RegisterSpec r = Reg(ModbusType::kUint16);
    r.address = a;
    row.push_back(r);
  }
  const std::vector<ReadBlock> split = PlanReads(row);
  ASSERT_EQ(split.size(), 2u);
  EXPECT_EQ(split[0].count, 121);  // 0..120
  EXPECT_EQ(split[1].address, 130);
  EXPECT_EQ(split[1].count, 71);

  RegisterSpec bad = Reg(ModbusType::kFloat32);
  bad.function = ModbusFunction::kCoil;
  EXPECT_EQ(CheckRegister(bad).message(),
            "register 'r': coils and discrete inputs are bool, registers are not");
  bad = Reg(ModbusType::kUint32);
  bad.address = 65535;
  EXPECT_EQ(CheckRegister(bad).message(), "register 'r': runs past address 65535");
}

}  // namespace
}  // namespace fh::connect
