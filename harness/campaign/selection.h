#pragma once
// Which specs of a campaign run (`osharness run --filter`, docs/specs.md). A pattern is a glob
// (fnmatch: *, ?, [...]) on the spec's name, or "tag:GLOB" on its tags; a spec runs when any
// pattern matches it, and every spec runs when there is none.
#include <string>
#include <vector>

#include "harness/campaign/spec.h"

namespace osh::campaign {

bool matches_filter(const Spec& spec, const std::string& pattern);

struct Selection {
  std::vector<Spec> specs;             // the selected ones, in the campaign's order
  std::vector<std::string> unmatched;  // patterns that matched no spec (likely typos)
};

// UsageError when patterns are given and select nothing, naming the specs' names and tags.
Selection select_specs(const std::vector<Spec>& specs, const std::vector<std::string>& patterns);

}  // namespace osh::campaign
