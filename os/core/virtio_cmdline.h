#pragma once
// Where the virtio-mmio devices are: QEMU's microvm, booting a kernel directly, appends
// `virtio_mmio.device=<size>@<base>:<irq>` to the command line for every virtio-mmio transport
// that has a device plugged in (Linux's syntax: a size with an optional K/M/G suffix, a base in
// hex with 0x or in decimal, the interrupt, optionally `:<first id>`).
#include <stddef.h>
#include <stdint.h>

#include "os/core/string_view.h"

namespace rayos {

inline constexpr StringView kVirtioMmioKey = "virtio_mmio.device";

struct VirtioMmioSlot {
  uint64_t size;
  uint64_t base;
  uint32_t irq;
};

// Parses one value (the text after `virtio_mmio.device=`); false when malformed.
bool parse_virtio_mmio_device(StringView value, VirtioMmioSlot& out);

// Every well-formed `virtio_mmio.device=` word of `cmdline`, in order, up to `max`; returns how
// many were stored. Malformed ones are counted in `malformed`.
size_t find_virtio_mmio_devices(StringView cmdline, VirtioMmioSlot* out, size_t max,
                                size_t& malformed);

}  // namespace rayos
