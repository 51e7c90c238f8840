#pragma once
// Writes the kernel's list of markers (os/core/marker_catalog.h in the build tree) from the
// rayos marker schema, os/rayos.schema.json.
//
// The JSON is the one definition and the header is derived from it, not the other way round
// (an X-macro list in C++ that writes the JSON): the schema holds more than the kernel needs
// (descriptions, units, the seq and CRC flags), it is the file users read and copy for their
// own OS, and the harness loads it at run time. Deriving the small list from the large one keeps
// every fact in a single hand-edited place. The schema is read by the harness's own loader
// (osh::marker::Schema), so a schema the harness would reject never becomes a kernel catalog,
// and its errors are the ones a user of `osharness` sees.
#include <string>
#include <string_view>

#include "harness/marker/schema.h"

namespace rayos::tools {

// The header: kMarkerPrefix and one `markers::k<Category><Event>` MarkerDef per marker, in schema
// order. Throws osh::InputError naming the schema, the JSON path, the marker and the field when
// the schema holds what rayos cannot print: a field type the marker writer has no form for
// (i64, f64), a variable-length tail ("rest"), a marker without a description, or two markers
// whose constant names collide.
std::string marker_catalog_header(const osh::marker::Schema& schema);

// "SOAK", "METRICS_SNAPSHOT" -> "kSoakMetricsSnapshot": the name emit<markers::k...>() uses.
std::string constant_name(std::string_view category, std::string_view event);

}  // namespace rayos::tools
