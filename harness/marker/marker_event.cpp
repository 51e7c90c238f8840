#include "harness/marker/marker_event.h"

#include <limits>

namespace osh::marker {

double FieldValue::number() const {
  switch (kind) {
    case Kind::Unsigned:
      return static_cast<double>(u);
    case Kind::Signed:
      return static_cast<double>(i);
    case Kind::Float:
      return f;
    case Kind::Text:
      break;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

const FieldValue* MarkerEvent::field(std::string_view name) const {
  if (spec == nullptr) return nullptr;
  for (size_t i = 0; i < spec->fields.size() && i < fields.size(); ++i) {
    if (spec->fields[i].name == name) return &fields[i];
  }
  // The first of the repeated trailing fields answers for their shared name.
  if (spec->rest && spec->rest->name == name && fields.size() > spec->fields.size()) {
    return &fields[spec->fields.size()];
  }
  return nullptr;
}

}  // namespace osh::marker
