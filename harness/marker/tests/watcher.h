#pragma once
// A line observer that waits for words (MarkerObserver::line_words), for the tests and the fuzz
// target that compare what feed() and feed_file hand it.
#include <string>
#include <vector>

#include "harness/marker/marker_stream.h"

namespace osh::marker::testing {

// Like KernelCrashes: while quiet it only remembers the last noise line; a noise line with NOTE is
// noted with that line, one with OPEN also makes it busy, and then it notes every line it is given
// until one with CLOSE.
struct Watcher : MarkerObserver {
  std::vector<std::string> line_words() const override { return {"OPEN", "NOTE", "CLOSE"}; }
  bool quiet() const override { return !busy; }
  void on_marker(const MarkerEvent&) override {}
  bool wants_markers() const override { return false; }
  void on_line(const ConsoleLine& l) override {
    ++calls;
    const std::string text(l.text);
    const std::string line = std::to_string(l.line_no) + (l.truncated ? " cut " : " ") + text;
    if (busy) {
      notes.push_back(line);
      busy = text.find("CLOSE") == std::string::npos;
      return;
    }
    if (l.kind != LineKind::Noise) return;
    if (text.find("OPEN") != std::string::npos || text.find("NOTE") != std::string::npos) {
      notes.push_back("after [" + previous + "] " + line);
      busy = text.find("OPEN") != std::string::npos;
      previous.clear();
      return;
    }
    previous = line;
  }
  bool busy = false;
  std::string previous;
  std::vector<std::string> notes;
  size_t calls = 0;
};

}  // namespace osh::marker::testing
