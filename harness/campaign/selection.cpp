#include "harness/campaign/selection.h"

#include <fnmatch.h>

#include <algorithm>
#include <set>
#include <string_view>

#include "harness/base/errors.h"

namespace osh::campaign {
namespace {

constexpr std::string_view kTag = "tag:";

bool glob(const std::string& pattern, const std::string& text) {
  return ::fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

// "a, b, c" of the names (and tags) a pattern could have named.
std::string what_there_is(const std::vector<Spec>& specs) {
  std::string names;
  std::set<std::string> tags;
  for (const auto& s : specs) {
    names += (names.empty() ? "" : ", ") + s.name;
    tags.insert(s.tags.begin(), s.tags.end());
  }
  std::string tag_list;
  for (const auto& t : tags) tag_list += (tag_list.empty() ? "" : ", ") + t;
  return "names: " + names + "; tags: " + (tag_list.empty() ? "none" : tag_list);
}

}  // namespace

bool matches_filter(const Spec& spec, const std::string& pattern) {
  if (!pattern.starts_with(kTag)) return glob(pattern, spec.name);
  const std::string tag_glob = pattern.substr(kTag.size());
  return std::any_of(spec.tags.begin(), spec.tags.end(),
                     [&](const std::string& tag) { return glob(tag_glob, tag); });
}

Selection select_specs(const std::vector<Spec>& specs, const std::vector<std::string>& patterns) {
  Selection selection;
  if (patterns.empty()) {
    selection.specs = specs;
    return selection;
  }
  std::vector<bool> used(patterns.size(), false);
  for (const auto& spec : specs) {
    bool selected = false;
    for (size_t i = 0; i < patterns.size(); ++i)
      if (matches_filter(spec, patterns[i])) selected = used[i] = true;
    if (selected) selection.specs.push_back(spec);
  }
  for (size_t i = 0; i < patterns.size(); ++i)
    if (!used[i]) selection.unmatched.push_back(patterns[i]);
  if (selection.specs.empty()) {
    std::string given;
    for (const auto& p : patterns) given += " --filter \"" + p + "\"";
    throw UsageError(given.substr(1) + " selects none of the " + std::to_string(specs.size()) +
                     " spec" + (specs.size() == 1 ? "" : "s") + " (" + what_there_is(specs) +
                     "): a pattern is a glob on the name, or tag:GLOB on the tags");
  }
  return selection;
}

}  // namespace osh::campaign
