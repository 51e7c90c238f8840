// The mimesniff/mime-types directory: what parsing.any.js makes of mime-types.json and
// generated-mime-types.json. rayos has no Blob or Request: "(Blob/File)" runs the MIME type
// parser on the string, "(Request/Response)" runs it the way a Content-Type header reaches it
// (the byte-string check, header value validation, Fetch's "extract a MIME type").
#include "wpt/catalog.h"
#include "wpt/js_text.h"

namespace osh::wpt {
namespace {

using nlohmann::ordered_json;
using rayos::wpt::CaseKind;
using rayos::wpt::FieldTag;

enum class Compatibility { kCompatible, kHeaderValueIncompatible, kIncompatible, kError };

// parsing.any.js's isByteCompatible() on the string's code points (a code point above U+00FF,
// astral or not, has a UTF-16 unit above 0xFF too).
Compatibility byte_compatibility(const std::string& utf8) {
  const auto is_ws = [](unsigned char c) {
    return c == 0x09 || c == 0x20 || c == 0x0A || c == 0x0D;
  };
  if (!utf8.empty() && (is_ws(static_cast<unsigned char>(utf8.front())) ||
                        is_ws(static_cast<unsigned char>(utf8.back()))))
    return Compatibility::kHeaderValueIncompatible;
  for (size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    // Lead bytes C2 and C3 start U+0080..U+00FF; any other multi-byte lead is above U+00FF.
    if (c >= 0xC4) return Compatibility::kIncompatible;
  }
  for (const char c : utf8)
    if (c == 0x00 || c == 0x0A || c == 0x0D) return Compatibility::kError;
  return Compatibility::kCompatible;
}

}  // namespace

SuiteMapping mimesniff_suite() {
  return {"/mimesniff/mime-types/", [](const std::filesystem::path& dir) {
            WptTest t{"/mimesniff/mime-types/parsing.any.html", {}};
            t.subtests.push_back({"Loading data\xE2\x80\xA6", GuestCase{CaseKind::kLoad, {}}});
            for (const char* file : {"mime-types.json", "generated-mime-types.json"}) {
              const auto views = read_wpt_json(dir / "mimesniff/mime-types/resources" / file);
              for (size_t i = 0; i < views.usv.size(); ++i) {
                const ordered_json& e = views.usv[i];
                if (!e.is_object()) continue;
                const std::string input = e["input"].get<std::string>();
                const std::string title = views.named[i]["input"].get<std::string>();
                const std::string output =
                    e["output"].is_null() ? "" : e["output"].get<std::string>();
                GuestCase blob{CaseKind::kMimeParse, {}};
                blob.add(FieldTag::kInput, input).add(FieldTag::kExpectMime, output);
                t.subtests.push_back({title + " (Blob/File)", std::move(blob)});
                const Compatibility compat = byte_compatibility(input);
                if (compat == Compatibility::kHeaderValueIncompatible) continue;
                GuestCase header{CaseKind::kMimeHeader, {}};
                header.add(FieldTag::kInput, input);
                if (compat == Compatibility::kCompatible) {
                  header.add(FieldTag::kExpectMime, output);
                } else {
                  header.add(FieldTag::kExpectRejection);
                }
                t.subtests.push_back({title + " (Request/Response)", std::move(header)});
              }
            }
            return std::vector<WptTest>{std::move(t)};
          }};
}

}  // namespace osh::wpt
