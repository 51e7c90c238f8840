// The url/ directory: what url-constructor.any.js, url-origin.any.js, url-setters.any.js,
// toascii.any.js and percent-encoding.window.js make of url/resources/*.json, in their order
// and with their names.
#include "wpt/catalog.h"
#include "wpt/js_text.h"

namespace osh::wpt {
namespace {

using nlohmann::ordered_json;
using rayos::wpt::CaseKind;
using rayos::wpt::FieldTag;

constexpr const char* kLoading = "Loading data\xE2\x80\xA6";  // "Loading data…"

// subset-tests-by-key.js: the META variants of url-constructor and url-setters. A test runs in
// a variant when its key matches (an empty key runs in all of them).
struct Variant {
  const char* query;
  bool (*runs)(const std::string& key);
};
bool is_excluded_key(const std::string& key) {
  return key == "file" || key == "javascript" || key == "mailto";
}
const Variant kKeyVariants[] = {
    {"?include=file", [](const std::string& k) { return k.empty() || k == "file"; }},
    {"?include=javascript", [](const std::string& k) { return k.empty() || k == "javascript"; }},
    {"?include=mailto", [](const std::string& k) { return k.empty() || k == "mailto"; }},
    {"?exclude=(file|javascript|mailto)",
     [](const std::string& k) { return k.empty() || !is_excluded_key(k); }},
};

std::string before_colon(const std::string& s) { return s.substr(0, s.find(':')); }

// A JavaScript string value's truthiness: present, a string, and not empty.
bool truthy_string(const ordered_json& o, const char* key) {
  return o.contains(key) && o[key].is_string() && !o[key].get<std::string>().empty();
}

WptTest loading_test(std::string id, const char* loading = kLoading) {
  WptTest t{std::move(id), {}};
  t.subtests.push_back({loading, GuestCase{CaseKind::kLoad, {}}});
  return t;
}

// urltestdata.json then urltestdata-javascript-only.json, flattened, both views.
struct UrlData {
  std::vector<ordered_json> usv, named;
};
UrlData url_test_data(const std::filesystem::path& dir) {
  UrlData data;
  for (const char* file : {"urltestdata.json", "urltestdata-javascript-only.json"}) {
    const auto views = read_wpt_json(dir / "url/resources" / file);
    for (size_t i = 0; i < views.usv.size(); ++i) {
      data.usv.push_back(views.usv[i]);
      data.named.push_back(views.named[i]);
    }
  }
  return data;
}

// "<input> against <base>" / "<input> without base", as `${base ? ... : "without base"}`.
std::string parse_title(const ordered_json& named) {
  const std::string input = named["input"].get<std::string>();
  if (truthy_string(named, "base"))
    return "<" + input + "> against <" + named["base"].get<std::string>() + ">";
  return "<" + input + "> without base";
}

GuestCase parse_case(const ordered_json& usv) {
  GuestCase c{CaseKind::kUrlParse, {}};
  c.add(FieldTag::kInput, usv["input"].get<std::string>());
  if (usv.contains("base") && !usv["base"].is_null())
    c.add(FieldTag::kBase, usv["base"].get<std::string>());
  return c;
}

std::vector<WptTest> constructor_tests(const UrlData& data) {
  std::vector<WptTest> tests;
  for (const auto& variant : kKeyVariants) {
    WptTest t = loading_test(std::string("/url/url-constructor.any.html") + variant.query);
    for (size_t i = 0; i < data.usv.size(); ++i) {
      const ordered_json& e = data.usv[i];
      if (!e.is_object()) continue;  // comments
      std::string key = "other";
      if (truthy_string(e, "protocol")) {
        key = e["protocol"].get<std::string>();
        key.erase(key.find(':'), 1);  // JavaScript's replace(":", "") drops the first only
      } else if (e.value("failure", false)) {
        key = before_colon(e["input"].get<std::string>());
      }
      if (!variant.runs(key)) continue;
      GuestCase c = parse_case(e);
      if (e.value("failure", false)) {
        c.add(FieldTag::kExpectFailure);
      } else {
        for (const char* attr : {"href", "protocol", "username", "password", "host", "hostname",
                                 "port", "pathname", "search"})
          c.expect(attr, e[attr].get<std::string>());
        if (e.contains("searchParams"))
          c.expect("searchParams", e["searchParams"].get<std::string>());
        c.expect("hash", e["hash"].get<std::string>());
      }
      t.subtests.push_back({"Parsing: " + parse_title(data.named[i]), std::move(c)});
    }
    tests.push_back(std::move(t));
  }
  return tests;
}

WptTest origin_test(const UrlData& data) {
  WptTest t = loading_test("/url/url-origin.any.html");
  for (size_t i = 0; i < data.usv.size(); ++i) {
    const ordered_json& e = data.usv[i];
    if (!e.is_object() || !e.contains("origin")) continue;
    GuestCase c = parse_case(e);
    c.expect("origin", e["origin"].get<std::string>());
    t.subtests.push_back({"Origin parsing: " + parse_title(data.named[i]), std::move(c)});
  }
  return t;
}

std::vector<WptTest> setter_tests(const std::filesystem::path& dir) {
  const auto views = read_wpt_json(dir / "url/resources/setters_tests.json");
  std::vector<WptTest> tests;
  for (const auto& variant : kKeyVariants) {
    WptTest t = loading_test(std::string("/url/url-setters.any.html") + variant.query);
    for (const auto& [attribute, cases] : views.usv.items()) {
      if (attribute == "comment") continue;
      const ordered_json& named_cases = views.named[attribute];
      for (size_t i = 0; i < cases.size(); ++i) {
        const ordered_json& e = cases[i];
        const ordered_json& n = named_cases[i];
        std::string name = "Setting <" + n["href"].get<std::string>() + ">." + attribute + " = '" +
                           n["new_value"].get<std::string>() + "'";
        if (n.contains("comment")) name += " " + n["comment"].get<std::string>();
        if (!variant.runs(before_colon(e["href"].get<std::string>()))) continue;
        GuestCase c{CaseKind::kUrlSetter, {}};
        c.add(FieldTag::kHref, e["href"].get<std::string>());
        c.add(FieldTag::kSetter, attribute);
        c.add(FieldTag::kValue, e["new_value"].get<std::string>());
        for (const auto& [expected, value] : e["expected"].items())
          c.expect(expected, value.get<std::string>());
        t.subtests.push_back({"URL: " + name, std::move(c)});
      }
    }
    tests.push_back(std::move(t));
  }
  return tests;
}

WptTest toascii_test(const std::filesystem::path& dir) {
  const auto views = read_wpt_json(dir / "url/resources/toascii.json");
  WptTest t = loading_test("/url/toascii.any.html");
  for (size_t i = 0; i < views.usv.size(); ++i) {
    const ordered_json& e = views.usv[i];
    if (!e.is_object()) continue;
    const std::string input = e["input"].get<std::string>();
    const std::string title = views.named[i]["input"].get<std::string>();
    const bool fails = e["output"].is_null();
    const std::string output = fails ? "" : e["output"].get<std::string>();
    GuestCase whole{CaseKind::kUrlParse, {}};
    whole.add(FieldTag::kInput, "https://" + input + "/x");
    if (fails) {
      whole.add(FieldTag::kExpectFailure);
    } else {
      whole.expect("host", output).expect("hostname", output).expect("pathname", "/x");
      whole.expect("href", "https://" + output + "/x");
    }
    t.subtests.push_back({title + " (using URL)", std::move(whole)});
    for (const char* attribute : {"host", "hostname"}) {
      GuestCase c{CaseKind::kUrlSetter, {}};
      c.add(FieldTag::kHref, "https://x/x").add(FieldTag::kSetter, attribute);
      c.add(FieldTag::kValue, input);
      c.expect(attribute, fails ? "x" : output);
      t.subtests.push_back({title + " (using URL." + attribute + ")", std::move(c)});
    }
  }
  return t;
}

WptTest percent_encoding_test(const std::filesystem::path& dir) {
  const auto views = read_wpt_json(dir / "url/resources/percent-encoding.json");
  WptTest t = loading_test("/url/percent-encoding.window.html");
  for (size_t i = 0; i < views.usv.size(); ++i) {
    const ordered_json& unit = views.usv[i];
    if (!unit.is_object()) continue;
    const std::string input = unit["input"].get<std::string>();
    for (const auto& [encoding, output] : unit["output"].items()) {
      if (encoding == "utf-8") continue;  // tested elsewhere, as the JS file says
      GuestCase c{CaseKind::kQueryEncoding, {}};
      c.add(FieldTag::kInput, input).add(FieldTag::kEncoding, encoding);
      c.expect("hash", "#" + unit["output"]["utf-8"].get<std::string>());
      c.expect("search", "?" + output.get<std::string>());
      t.subtests.push_back(
          {"Input " + views.named[i]["input"].get<std::string>() + " with encoding " + encoding,
           std::move(c)});
    }
  }
  return t;
}

}  // namespace

SuiteMapping url_suite() {
  return {"/url/", [](const std::filesystem::path& dir) {
            const UrlData data = url_test_data(dir);
            std::vector<WptTest> tests = constructor_tests(data);
            tests.push_back(origin_test(data));
            for (auto& t : setter_tests(dir)) tests.push_back(std::move(t));
            tests.push_back(toascii_test(dir));
            tests.push_back(percent_encoding_test(dir));
            return tests;
          }};
}

}  // namespace osh::wpt
