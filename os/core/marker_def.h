#pragma once
// What the kernel needs to know about one marker to print it. The list of markers itself is
// generated from os/rayos.schema.json into the build tree (os/core/marker_catalog.h there; see
// os/tools/marker_catalog_gen.h), so that what rayos prints and what the harness reads cannot
// drift apart.
#include <stddef.h>

#include "os/core/string_view.h"

namespace rayos {

struct MarkerDef {
  StringView category;
  StringView event;
  // Checked against every emit<>() call's argument count at compile time (os/kernel/console.h).
  size_t field_count;
};

}  // namespace rayos
