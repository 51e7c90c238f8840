// Schema::parse on arbitrary bytes: either a clear osh::InputError naming the origin, or a
// schema whose every marker can be found again and whose markers parse as lines.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "harness/base/errors.h"
#include "harness/marker/marker_stream.h"
#include "harness/marker/schema.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace osh::marker;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const Schema schema = Schema::parse(text, "fuzz.json");
    for (const MarkerSpec& spec : schema.markers()) {
      check(schema.find(spec.category, spec.event) == &spec);
      // The marker with one empty field per spec field: it must parse without crashing, and
      // be a marker exactly when every field type accepts the empty text.
      std::string line = schema.prefix() + "_" + spec.category + ":" + spec.event;
      bool all_words = true;
      for (const auto& field : spec.fields) {
        line += ":";
        all_words = all_words && field.type == FieldType::Word;
      }
      const ParsedLine parsed = parse_line(line, schema);
      check(parsed.spec == &spec || parsed.kind != LineKind::Marker);
      check((parsed.kind == LineKind::Marker) == all_words);
    }
  } catch (const osh::InputError& e) {
    check(std::string_view(e.what()).substr(0, 11) == "fuzz.json: ");
  }
  return 0;
}
