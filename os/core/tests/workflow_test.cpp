#include "os/core/workflow.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

namespace rayos {
namespace {

std::string str(StringView v) { return std::string(v.data(), v.size()); }

Workflow make(std::initializer_list<std::vector<uint32_t>> nodes) {
  Workflow w;
  for (const auto& deps : nodes) EXPECT_TRUE(w.add_node(deps.data(), deps.size()));
  return w;
}

std::vector<uint32_t> ready(const Workflow& w) {
  uint32_t out[Workflow::kMaxNodes];
  return std::vector<uint32_t>(out, out + w.ready(out, Workflow::kMaxNodes));
}

bool valid(const Workflow& w) {
  TextBuffer error;
  uint32_t node;
  return w.check_dependencies(error) && !w.find_cycle(node);
}

TEST(Workflow, LinearRunsInOrder) {
  Workflow w = make({{}, {0}, {1}});
  ASSERT_TRUE(valid(w));
  for (uint32_t i = 0; i < 3; ++i) {
    EXPECT_EQ(ready(w), std::vector<uint32_t>{i});
    ASSERT_TRUE(w.start(i));
    EXPECT_TRUE(ready(w).empty());
    EXPECT_EQ(w.finish(i, true, nullptr, 0), 0u);
  }
  EXPECT_TRUE(w.done());
  EXPECT_EQ(w.count_in(NodeState::kSucceeded), 3u);
}

TEST(Workflow, DiamondWaitsForBothBranches) {
  Workflow w = make({{}, {0}, {0}, {1, 2}});
  ASSERT_TRUE(valid(w));
  w.start(0);
  w.finish(0, true, nullptr, 0);
  EXPECT_EQ(ready(w), (std::vector<uint32_t>{1, 2}));
  w.start(1);
  w.start(2);
  w.finish(2, true, nullptr, 0);
  EXPECT_TRUE(ready(w).empty());  // 3 still waits for 1
  EXPECT_FALSE(w.done());
  EXPECT_FALSE(w.stuck());
  w.finish(1, true, nullptr, 0);
  EXPECT_EQ(ready(w), std::vector<uint32_t>{3});
}

TEST(Workflow, IndependentNodesAreReadyTogether) {
  Workflow w = make({{}, {}, {}, {}});
  EXPECT_EQ(ready(w), (std::vector<uint32_t>{0, 1, 2, 3}));
  uint32_t two[2];
  EXPECT_EQ(w.ready(two, 2), 2u);  // bounded by the caller's room
}

TEST(Workflow, AFailureSkipsEveryDependentTransitively) {
  // 0 -> 1 -> 2, 0 -> 3, 4 independent, 5 depends on 4 and 2.
  Workflow w = make({{}, {0}, {1}, {0}, {}, {4, 2}});
  ASSERT_TRUE(valid(w));
  w.start(0);
  w.start(4);
  uint32_t skipped[8];
  ASSERT_EQ(w.finish(0, false, skipped, 8), 4u);
  EXPECT_EQ(std::vector<uint32_t>(skipped, skipped + 4), (std::vector<uint32_t>{1, 2, 3, 5}));
  EXPECT_EQ(w.state(1), NodeState::kSkipped);
  EXPECT_EQ(w.skipped_by(1), 0u);
  EXPECT_EQ(w.skipped_by(2), 1u);  // skipped because 1 was
  EXPECT_EQ(w.skipped_by(5), 2u);
  EXPECT_EQ(w.state(4), NodeState::kRunning);  // the independent node goes on
  EXPECT_FALSE(w.done());
  w.finish(4, true, nullptr, 0);
  EXPECT_TRUE(w.done());
  EXPECT_EQ(w.count_in(NodeState::kFailed), 1u);
  EXPECT_EQ(w.count_in(NodeState::kSkipped), 4u);
  EXPECT_EQ(w.count_in(NodeState::kSucceeded), 1u);
}

TEST(Workflow, SkippedListIsBoundedButTheCountIsNot) {
  Workflow w = make({{}, {0}, {0}, {0}});
  w.start(0);
  uint32_t one[1];
  EXPECT_EQ(w.finish(0, false, one, 1), 3u);
  EXPECT_EQ(one[0], 1u);
}

TEST(Workflow, OutOfRangeDependencyIsNamed) {
  Workflow w = make({{}, {0}, {7}});
  TextBuffer error;
  EXPECT_FALSE(w.check_dependencies(error));
  EXPECT_EQ(str(error.view()), "node_2_depends_on_7_of_3_nodes");
}

TEST(Workflow, CyclesAreFoundAndANodeOnThemNamed) {
  uint32_t node = 99;
  EXPECT_TRUE(make({{2}, {0}, {1}}).find_cycle(node));
  EXPECT_LT(node, 3u);
  EXPECT_TRUE(make({{0}}).find_cycle(node));  // depends on itself
  EXPECT_EQ(node, 0u);
  // 0 is fine, 1 <-> 2 is a cycle, 3 only depends on it: the named node is 1 or 2.
  EXPECT_TRUE(make({{}, {2}, {1, 0}, {2}}).find_cycle(node));
  EXPECT_TRUE(node == 1 || node == 2) << node;
  EXPECT_FALSE(make({{}, {0}, {0}, {1, 2}}).find_cycle(node));
  EXPECT_FALSE(Workflow().find_cycle(node));
}

TEST(Workflow, ACycleRunAnywayIsStuck) {
  Workflow w = make({{}, {2}, {1}});
  w.start(0);
  w.finish(0, true, nullptr, 0);
  EXPECT_TRUE(ready(w).empty());
  EXPECT_TRUE(w.stuck());
  EXPECT_FALSE(w.done());
}

TEST(Workflow, BuilderLimits) {
  Workflow w;
  std::vector<uint32_t> many(Workflow::kMaxDeps + 1, 0);
  EXPECT_FALSE(w.add_node(many.data(), many.size()));
  EXPECT_FALSE(w.add_node(nullptr, 1));
  for (size_t i = 0; i < Workflow::kMaxNodes; ++i) EXPECT_TRUE(w.add_node(nullptr, 0));
  EXPECT_FALSE(w.add_node(nullptr, 0));
  EXPECT_EQ(w.node_count(), Workflow::kMaxNodes);
}

TEST(Workflow, StartAndFinishRefuseWrongStates) {
  Workflow w = make({{}, {0}});
  EXPECT_FALSE(w.start(5));
  EXPECT_EQ(w.finish(0, true, nullptr, 0), 0u);  // not running
  EXPECT_EQ(w.state(0), NodeState::kPending);
  ASSERT_TRUE(w.start(0));
  EXPECT_FALSE(w.start(0));
  w.finish(0, true, nullptr, 0);
  EXPECT_EQ(w.finish(0, false, nullptr, 0), 0u);  // already finished: unchanged
  EXPECT_EQ(w.state(0), NodeState::kSucceeded);
}

}  // namespace
}  // namespace rayos
