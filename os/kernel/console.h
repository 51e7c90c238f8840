#pragma once
// Marker output on COM1. Every marker gets the next sequence number (from 0 at boot) and is
// written whole with interrupts disabled, so a heartbeat from the timer interrupt can never land
// inside another line.
#include <stdint.h>

#include "os/arch/x86_64/cpu.h"
#include "os/core/marker_catalog.h"
#include "os/core/marker_writer.h"
#include "os/core/string_view.h"

namespace rayos::kernel {

// Assigns the sequence number, finishes and writes the marker.
void emit_marker(MarkerWriter& writer);

// emit<markers::kFloodN>(i): the field count is checked against the catalog at compile time.
template <const MarkerDef& Def, typename... Args>
void emit(const Args&... args) {
  static_assert(sizeof...(Args) == Def.field_count,
                "field count differs from os/rayos.schema.json");
  MarkerWriter writer(Def);
  (writer.field(args), ...);
  emit_marker(writer);
}

// Lines with caller-made content that share the marker sequence (the garbage scenario). The
// caller holds an arch::InterruptGuard across next_seq, advance_seq and write_line so that the
// three are atomic.
class LockedConsole {
 public:
  explicit LockedConsole(const arch::InterruptGuard&) {}
  uint64_t next_seq() const;
  void advance_seq();
  void write_line(StringView bytes);
  // Ends a partial line (a panic may interrupt a line being written).
  void finish_partial_line();
};

}  // namespace rayos::kernel
