#include "os/core/virtio_cmdline.h"

namespace rayos {
namespace {

// A number in decimal or 0x-hex, the whole of `text`, without overflow.
bool parse_number(StringView text, uint64_t& out) {
  uint64_t base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text = text.substr(2);
  }
  if (text.empty()) return false;
  uint64_t value = 0;
  for (char c : text) {
    uint64_t digit;
    if (c >= '0' && c <= '9') {
      digit = static_cast<uint64_t>(c - '0');
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      digit = static_cast<uint64_t>(c - 'a' + 10);
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      digit = static_cast<uint64_t>(c - 'A' + 10);
    } else {
      return false;
    }
    if (digit >= base || value > (UINT64_MAX - digit) / base) return false;
    value = value * base + digit;
  }
  out = value;
  return true;
}

}  // namespace

bool parse_virtio_mmio_device(StringView value, VirtioMmioSlot& out) {
  const size_t at = value.find('@');
  if (at == StringView::npos) return false;
  const size_t colon = value.find(':', at);
  if (colon == StringView::npos) return false;
  StringView size_text = value.substr(0, at);
  uint64_t shift = 0;
  if (!size_text.empty()) {
    const char unit = size_text[size_text.size() - 1];
    shift = unit == 'K' || unit == 'k'   ? 10
            : unit == 'M' || unit == 'm' ? 20
            : unit == 'G' || unit == 'g' ? 30
                                         : 0;
    if (shift) size_text = size_text.substr(0, size_text.size() - 1);
  }
  uint64_t size = 0, base = 0, irq = 0;
  const size_t id_colon = value.find(':', colon + 1);
  const StringView irq_text = value.substr(
      colon + 1, id_colon == StringView::npos ? StringView::npos : id_colon - colon - 1);
  if (!parse_number(size_text, size) || size == 0 || size > (UINT64_MAX >> shift)) return false;
  if (!parse_number(value.substr(at + 1, colon - at - 1), base)) return false;
  if (!parse_number(irq_text, irq) || irq > UINT32_MAX) return false;
  out = VirtioMmioSlot{size << shift, base, static_cast<uint32_t>(irq)};
  return true;
}

size_t find_virtio_mmio_devices(StringView cmdline, VirtioMmioSlot* out, size_t max,
                                size_t& malformed) {
  size_t count = 0;
  malformed = 0;
  size_t pos = 0;
  while (pos < cmdline.size()) {
    while (pos < cmdline.size() && (cmdline[pos] == ' ' || cmdline[pos] == '\t')) ++pos;
    size_t end = pos;
    while (end < cmdline.size() && cmdline[end] != ' ' && cmdline[end] != '\t') ++end;
    const StringView word = cmdline.substr(pos, end - pos);
    pos = end;
    const size_t eq = word.find('=');
    if (eq == StringView::npos || !(word.substr(0, eq) == kVirtioMmioKey)) continue;
    VirtioMmioSlot slot;
    if (!parse_virtio_mmio_device(word.substr(eq + 1), slot)) {
      ++malformed;
    } else if (count < max) {
      out[count++] = slot;
    }
  }
  return count;
}

}  // namespace rayos
