#pragma once
// The display QEMU shows: the Bochs VBE interface of QEMU's standard VGA (`-device VGA`, or
// bochs-display), a PCI device 1234:1111 on the `pc` and `q35` machines. display_init() finds it
// on PCI bus 0, sets a 32-bit linear framebuffer mode and maps it; display_present() copies a
// frame of XRGB pixels to it, which is what QMP `screendump` then reads. Machines without PCI
// (microvm) or without the device simply have no display.
#include <stdint.h>

namespace rayos::kernel {

// True when the display is ready at `width` x `height` (at most 1024 x 512: the mapping is one
// 2 MiB page).
bool display_init(int32_t width, int32_t height);
bool display_ready();
// Copies `pixels` (width * height, row-major) to the screen.
void display_present(const uint32_t* pixels);

}  // namespace rayos::kernel
