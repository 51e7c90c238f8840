#include "os/kernel/display.h"

#include "os/arch/x86_64/cpu.h"
#include "os/kernel/memory.h"

namespace rayos::kernel {
namespace {

constexpr uint16_t kPciAddress = 0xcf8, kPciData = 0xcfc;
constexpr uint32_t kBochsVgaId = 0x11111234;  // device << 16 | vendor
// Bochs VBE "DISPI" registers, through an index and a data port.
constexpr uint16_t kDispiIndex = 0x1ce, kDispiData = 0x1cf;
constexpr uint16_t kDispiId = 0, kDispiXres = 1, kDispiYres = 2, kDispiBpp = 3, kDispiEnable = 4;
constexpr uint16_t kDispiEnabled = 0x01, kDispiLfb = 0x40;
constexpr uint16_t kDispiIdMin = 0xb0c0;  // any VBE_DISPI_ID0..5
constexpr uint64_t kMaxFramebufferBytes = 2ull << 20;

constinit volatile uint32_t* screen = nullptr;
constinit int32_t screen_w = 0, screen_h = 0;

uint32_t pci_read(uint32_t device, uint32_t offset) {
  arch::outl(kPciAddress, 0x80000000u | (device << 11) | (offset & 0xfc));
  return arch::inl(kPciData);
}

void dispi(uint16_t index, uint16_t value) {
  arch::outw(kDispiIndex, index);
  arch::outw(kDispiData, value);
}

}  // namespace

bool display_init(int32_t width, int32_t height) {
  if (screen != nullptr) return screen_w == width && screen_h == height;
  if (width <= 0 || height <= 0 ||
      static_cast<uint64_t>(width) * static_cast<uint64_t>(height) * 4 > kMaxFramebufferBytes)
    return false;
  for (uint32_t device = 0; device < 32; ++device) {
    if (pci_read(device, 0) != kBochsVgaId) continue;
    const uint32_t bar0 = pci_read(device, 0x10);
    if ((bar0 & 1) != 0 || (bar0 & ~0xfu) == 0) return false;  // not a memory BAR, or unassigned
    arch::outw(kDispiIndex, kDispiId);
    if (arch::inw(kDispiData) < kDispiIdMin) return false;
    dispi(kDispiEnable, 0);
    dispi(kDispiXres, static_cast<uint16_t>(width));
    dispi(kDispiYres, static_cast<uint16_t>(height));
    dispi(kDispiBpp, 32);
    dispi(kDispiEnable, kDispiEnabled | kDispiLfb);
    volatile uint8_t* mapped = map_device(bar0 & ~0xfu);
    if (mapped == nullptr) return false;
    screen = reinterpret_cast<volatile uint32_t*>(mapped);
    screen_w = width;
    screen_h = height;
    return true;
  }
  return false;
}

bool display_ready() { return screen != nullptr; }

void display_present(const uint32_t* pixels) {
  if (screen == nullptr) return;
  const uint64_t n = static_cast<uint64_t>(screen_w) * static_cast<uint64_t>(screen_h);
  for (uint64_t i = 0; i < n; ++i) screen[i] = pixels[i];
}

}  // namespace rayos::kernel
