#include "os/tools/marker_catalog_gen.h"

#include <cctype>
#include <map>

#include "harness/base/errors.h"

namespace rayos::tools {
namespace {

using osh::marker::FieldType;

// MarkerWriter::field() takes unsigned integers and text; a signed or floating-point value has
// no form in the guest (no libgcc, no floating point in kernel code).
bool printable(FieldType type) { return type != FieldType::I64 && type != FieldType::F64; }

std::string camel(std::string_view upper_snake) {
  std::string out;
  bool word_start = true;
  for (const char c : upper_snake) {
    if (c == '_') {
      word_start = true;
      continue;
    }
    out += word_start ? c : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    word_start = false;
  }
  return out;
}

}  // namespace

std::string constant_name(std::string_view category, std::string_view event) {
  return "k" + camel(category) + camel(event);
}

std::string marker_catalog_header(const osh::marker::Schema& schema) {
  const auto fail = [&](const std::string& where, const std::string& what) {
    throw osh::InputError(schema.origin() + ": " + where + ": " + what);
  };
  std::string body;
  std::map<std::string, std::string> owner_of;  // constant name -> "CATEGORY:EVENT"
  const auto& markers = schema.markers();
  for (size_t i = 0; i < markers.size(); ++i) {
    const auto& m = markers[i];
    const std::string where = "markers[" + std::to_string(i) + "]";
    const std::string name = m.category + ":" + m.event;
    if (m.description.empty())
      fail(where, name + " has no \"description\": say when rayos prints it");
    if (m.rest)
      fail(where + ".rest", name + " has a variable-length tail, which emit<>() cannot count");
    std::string fields;
    for (size_t f = 0; f < m.fields.size(); ++f) {
      const auto& field = m.fields[f];
      if (!printable(field.type)) {
        fail(where + ".fields[" + std::to_string(f) + "].type",
             name + " field \"" + field.name + "\" is " + std::string(to_string(field.type)) +
                 ", which rayos cannot print (its marker writer prints u32 u64 word enum id)");
      }
      fields += " " + field.name + ":" + std::string(to_string(field.type));
    }
    const std::string constant = constant_name(m.category, m.event);
    if (const auto [it, added] = owner_of.emplace(constant, name); !added) {
      fail(where + ".marker",
           name + " and " + it->second + " would both be markers::" + constant + "; rename one");
    }
    body += "// " + name + (fields.empty() ? " (no fields)" : fields) + "\n";
    body += "inline constexpr MarkerDef " + constant + "{\"" + m.category + "\", \"" + m.event +
            "\", " + std::to_string(m.fields.size()) + "};\n";
  }
  return "#pragma once\n"
         "// Generated from " +
         schema.origin() +
         " by os/tools/marker_catalog_gen: edit the schema, not this file.\n"
         "#include \"os/core/marker_def.h\"\n"
         "\n"
         "namespace rayos {\n"
         "\n"
         "inline constexpr StringView kMarkerPrefix = \"" +
         schema.prefix() +
         "\";\n"
         "\n"
         "namespace markers {\n"
         "\n" +
         body +
         "\n"
         "}  // namespace markers\n"
         "}  // namespace rayos\n";
}

}  // namespace rayos::tools
