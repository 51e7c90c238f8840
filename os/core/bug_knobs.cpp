#include "os/core/bug_knobs.h"

namespace rayos {

bool parse_bug_knobs(StringView list, uint32_t& mask, TextBuffer& error) {
  mask = 0;
  size_t start = 0;
  while (start <= list.size() && !list.empty()) {
    size_t comma = list.find(',', start);
    size_t end = comma == StringView::npos ? list.size() : comma;
    StringView name = list.substr(start, end - start);
    bool known = false;
    for (const BugKnobName& k : kBugKnobNames) {
      if (!(k.name == name)) continue;
      mask |= k.knob;
      known = true;
    }
    if (!known) {
      // Not the list itself: every name joined outgrew the 192 bytes a marker line holds.
      error.add("unknown_bug=")
          .add(name)
          .add("(")
          .add(uint64_t{sizeof kBugKnobNames / sizeof kBugKnobNames[0]})
          .add("_knobs_listed_in_docs/rayos.md_Planted_bugs)");
      mask = 0;
      return false;
    }
    if (comma == StringView::npos) break;
    start = comma + 1;
  }
  return true;
}

}  // namespace rayos
