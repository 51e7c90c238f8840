#include "os/arch/x86_64/lapic.h"

#include <stdint.h>

#include "os/arch/x86_64/cpu.h"
#include "os/arch/x86_64/memory.h"

namespace rayos::arch {
namespace {

constexpr uint32_t kMsrApicBase = 0x1b;
constexpr uint64_t kApicBaseEnable = 1u << 11;
constexpr uint64_t kApicBaseAddressMask = 0xffffff000ull;

constexpr uintptr_t kSpuriousRegister = 0xf0;
constexpr uintptr_t kLint0Register = 0x350;
constexpr uintptr_t kLint1Register = 0x360;
constexpr uint32_t kSoftwareEnable = 1u << 8;
constexpr uint32_t kDeliveryExtInt = 7u << 8;
constexpr uint32_t kDeliveryNmi = 4u << 8;

void write_register(uintptr_t offset, uint32_t value) {
  *reinterpret_cast<volatile uint32_t*>(kLapicVirt + offset) = value;
}

}  // namespace

bool lapic_enable_virtual_wire() {
  uint64_t base = rdmsr(kMsrApicBase);
  if ((base & kApicBaseEnable) == 0 || (base & kApicBaseAddressMask) != kLapicPhys) return false;
  write_register(kSpuriousRegister, kSoftwareEnable | kLapicSpuriousVector);
  write_register(kLint0Register, kDeliveryExtInt);
  write_register(kLint1Register, kDeliveryNmi);
  return true;
}

}  // namespace rayos::arch
