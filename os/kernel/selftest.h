#pragma once
// The in-guest test framework: runs a list of tests, each printing TEST:START:<name>, then
// TEST:PASS:<name> or TEST:FAIL:<name>:<reason> (the first reason the test gave), and at the end
// TEST:SUMMARY:<passed>:<failed>. The harness turns each into a JUnit testcase. A test that
// leaves processes behind fails, and they are killed so that the next test starts clean.
#include <stddef.h>
#include <stdint.h>

#include "os/core/string_view.h"
#include "os/core/text_buffer.h"

namespace rayos::kernel {

class TestContext {
 public:
  // Records a failure unless `condition` holds; returns `condition`.
  bool expect(bool condition, StringView reason) {
    if (!condition) fail().add(reason);
    return condition;
  }
  // Starts a failure reason for the caller to complete (`ctx.fail().add("got_").add(n)`). Only
  // the first failure is kept; later ones write to a scratch buffer.
  TextBuffer& fail() {
    if (failed_) {
      scratch_.clear();
      return scratch_;
    }
    failed_ = true;
    return reason_;
  }
  bool failed() const { return failed_; }
  StringView reason() const { return reason_.view(); }

 private:
  bool failed_ = false;
  TextBuffer reason_;
  TextBuffer scratch_;
};

struct SelfTest {
  StringView name;
  void (*run)(TestContext& context);
};

class TestRunner {
 public:
  void run(const SelfTest* tests, size_t count);
  // Prints TEST:SUMMARY; returns the number of tests that failed.
  uint64_t finish();

 private:
  uint64_t passed_ = 0;
  uint64_t failed_ = 0;
};

}  // namespace rayos::kernel
