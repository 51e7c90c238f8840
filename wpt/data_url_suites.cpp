// The fetch/data-urls directory: what processing.any.js and base64.any.js make of
// data-urls.json and base64.json.
#include "wpt/catalog.h"
#include "wpt/js_text.h"

namespace osh::wpt {
namespace {

using nlohmann::ordered_json;
using rayos::wpt::CaseKind;
using rayos::wpt::FieldTag;

std::string bytes_of(const ordered_json& list) {
  std::string bytes;
  for (const auto& b : list) bytes += static_cast<char>(b.get<int>());
  return bytes;
}

}  // namespace

SuiteMapping data_url_suite() {
  return {"/fetch/data-urls/", [](const std::filesystem::path& dir) {
            std::vector<WptTest> tests;
            {
              const auto views = read_wpt_json(dir / "fetch/data-urls/resources/data-urls.json");
              WptTest t{"/fetch/data-urls/processing.any.html", {}};
              t.subtests.push_back({"Setup.", GuestCase{CaseKind::kLoad, {}}});
              for (size_t i = 0; i < views.usv.size(); ++i) {
                const ordered_json& e = views.usv[i];
                GuestCase c{CaseKind::kDataUrl, {}};
                c.add(FieldTag::kInput, e[0].get<std::string>());
                if (e[1].is_null()) {
                  c.add(FieldTag::kExpectFailure);
                } else {
                  c.add(FieldTag::kExpectBody, bytes_of(e[2]));
                  c.add(FieldTag::kExpectMime, e[1].get<std::string>());
                }
                t.subtests.push_back(
                    {format_value(views.named[i][0].get<std::string>()), std::move(c)});
              }
              tests.push_back(std::move(t));
            }
            {
              const auto views = read_wpt_json(dir / "fetch/data-urls/resources/base64.json");
              WptTest t{"/fetch/data-urls/base64.any.html", {}};
              t.subtests.push_back({"Setup.", GuestCase{CaseKind::kLoad, {}}});
              for (size_t i = 0; i < views.usv.size(); ++i) {
                const ordered_json& e = views.usv[i];
                GuestCase c{CaseKind::kDataUrl, {}};
                c.add(FieldTag::kInput, "data:;base64," + e[0].get<std::string>());
                if (e[1].is_null()) {
                  c.add(FieldTag::kExpectFailure);
                } else {
                  c.add(FieldTag::kExpectBody, bytes_of(e[1]));
                }
                t.subtests.push_back({"data: URL base64 handling: " +
                                          format_value(views.named[i][0].get<std::string>()),
                                      std::move(c)});
              }
              tests.push_back(std::move(t));
            }
            return tests;
          }};
}

}  // namespace osh::wpt
