// The compositor's logic on the host: ownership and validation of every request, the bounded
// pool and queues, damage tracking, alpha blending into the framebuffer, drag and drop, and a
// client's removal freeing all it held.
#include "os/core/compositor.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "os/core/syscall_abi.h"

namespace rayos::compositor {
namespace {

class CountingMemory final : public PixelMemory {
 public:
  void* allocate(size_t bytes, uint32_t owner) override {
    if (fail_next) {
      fail_next = false;
      return nullptr;
    }
    void* p = std::malloc(bytes);
    live.insert(p);
    owners.push_back(owner);
    return p;
  }
  void release(void* block) override {
    ASSERT_EQ(live.erase(block), 1u) << "freed a block it did not allocate (or twice)";
    std::free(block);
  }
  std::set<void*> live;
  std::vector<uint32_t> owners;
  bool fail_next = false;
};

class CompositorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Config config;
    config.width = 64;
    config.height = 48;
    config.max_buffers = 8;
    config.max_buffer_bytes = 4 * 16 * 16 * 4;
    config.queue_capacity = 4;
    ASSERT_TRUE(c->start(config, memory));
    ASSERT_EQ(c->add_client(10), 0);
    ASSERT_EQ(c->add_client(20), 0);
  }
  void TearDown() override {
    c->stop();
    EXPECT_TRUE(memory.live.empty());
  }
  uint32_t pixel(int x, int y) const { return c->framebuffer()[y * c->width() + x]; }
  // A surface of `pid` showing a w x h buffer filled with `argb` at (x, y).
  uint32_t show(uint32_t pid, int w, int h, uint32_t argb, int x, int y) {
    int64_t s = c->create_surface(pid);
    int64_t b = c->create_buffer(pid, w, h);
    EXPECT_GT(s, 0);
    EXPECT_GT(b, 0);
    size_t bytes = 0;
    int64_t error = 0;
    uint32_t* px = c->buffer_pixels(pid, uint32_t(b), bytes, error);
    EXPECT_EQ(bytes, size_t(w) * h * 4);
    for (size_t i = 0; i < bytes / 4; ++i) px[i] = argb;
    EXPECT_EQ(c->attach(pid, uint32_t(s), uint32_t(b)), 0);
    EXPECT_EQ(c->commit(pid, uint32_t(s), Rect{0, 0, w, h}, x, y), 0);
    return uint32_t(s);
  }
  CountingMemory memory;
  std::unique_ptr<Compositor> c = std::make_unique<Compositor>();
};

TEST(Rects, IntersectAndBounding) {
  EXPECT_EQ(intersect(Rect{0, 0, 10, 10}, Rect{5, 5, 10, 10}), (Rect{5, 5, 5, 5}));
  EXPECT_TRUE(intersect(Rect{0, 0, 10, 10}, Rect{10, 0, 5, 5}).empty());
  EXPECT_EQ(bounding(Rect{0, 0, 2, 2}, Rect{5, 6, 1, 1}), (Rect{0, 0, 6, 7}));
  EXPECT_EQ(bounding(Rect{0, 0, 0, 0}, Rect{5, 6, 1, 1}), (Rect{5, 6, 1, 1}));
}

TEST(DamageList, MergesTouchingKeepsApartAndCollapsesWhenFull) {
  Damage d;
  d.add(Rect{0, 0, 4, 4});
  d.add(Rect{4, 0, 4, 4});  // shares an edge: merged
  EXPECT_EQ(d.count(), 1u);
  EXPECT_EQ(d[0], (Rect{0, 0, 8, 4}));
  d.add(Rect{20, 20, 2, 2});  // apart: kept apart
  EXPECT_EQ(d.count(), 2u);
  EXPECT_EQ(d.area(), 32u + 4u);
  d.add(Rect{0, 0, 0, 5});  // empty: nothing
  EXPECT_EQ(d.count(), 2u);
  d.clear();
  for (int i = 0; i < int(kMaxDamage) + 1; ++i) d.add(Rect{i * 10, 0, 1, 1});
  ASSERT_EQ(d.count(), 1u);  // the 17th collapsed everything into one box
  EXPECT_EQ(d[0], (Rect{0, 0, int(kMaxDamage) * 10 + 1, 1}));
}

TEST(Blend, ExactAtTheEndsAndHalfwayBetween) {
  EXPECT_EQ(blend_pixel(0xff112233, 0xff445566), 0xff112233u);
  EXPECT_EQ(blend_pixel(0x00112233, 0xff445566), 0xff445566u);
  // a = 128: (s * 128 + d * 127 + 127) / 255 per channel: red (255*128+127)/255 = 128,
  // blue (255*127+127)/255 = 127.
  EXPECT_EQ(blend_pixel(0x80ff0000, 0xff0000ff), 0xff80007fu);
  EXPECT_EQ(blend_pixel(0x80ffffff, 0xff000000), 0xff808080u);
}

TEST_F(CompositorTest, ComposesOnlyTheDamageAndBlendsTranslucentSurfaces) {
  show(10, 16, 16, 0xffff0000, 0, 0);  // opaque red at (0,0)
  show(20, 16, 16, 0x800000ff, 8, 8);  // half-blue over it at (8,8), on top
  FrameResult r = c->compose();
  EXPECT_EQ(r.pixels_blended, 16u * 16 * 2);
  EXPECT_EQ(pixel(0, 0), 0xffff0000u);
  EXPECT_EQ(pixel(10, 10), blend_pixel(0x800000ff, 0xffff0000));  // overlap
  EXPECT_EQ(pixel(20, 20), blend_pixel(0x800000ff, kBackground));
  EXPECT_EQ(pixel(40, 40), kBackground);
  // Nothing changed: nothing is blended.
  EXPECT_EQ(c->compose().pixels_blended, 0u);
  EXPECT_EQ(c->stats().frames, 2u);
}

TEST_F(CompositorTest, DamageLimitsWhatIsRedrawn) {
  uint32_t s = show(10, 16, 16, 0xff00ff00, 0, 0);
  c->compose();
  size_t bytes = 0;
  int64_t error = 0;
  uint32_t* px = c->buffer_pixels(10, 1, bytes, error);
  ASSERT_NE(px, nullptr);
  for (size_t i = 0; i < bytes / 4; ++i) px[i] = 0xff0000ff;
  ASSERT_EQ(c->commit(10, s, Rect{0, 0, 16, 2}, 0, 0), 0);  // only two rows said to change
  FrameResult r = c->compose();
  EXPECT_EQ(r.pixels_blended, 16u * 2);
  EXPECT_EQ(pixel(0, 1), 0xff0000ffu);
  EXPECT_EQ(pixel(0, 2), 0xff00ff00u);  // not damaged: still the old frame
  // Moving it damages the old and new extents: the old place shows the background again.
  ASSERT_EQ(c->commit(10, s, Rect{0, 0, 0, 0}, 30, 20), 0);
  c->compose();
  EXPECT_EQ(pixel(0, 0), kBackground);
  EXPECT_EQ(pixel(30, 20), 0xff0000ffu);
  EXPECT_EQ(pixel(45, 35), 0xff0000ffu);
}

TEST_F(CompositorTest, EveryRequestIsCheckedForOwnershipAndRange) {
  EXPECT_EQ(c->create_surface(99), abi::kErrPerm);
  EXPECT_EQ(c->create_buffer(10, 0, 4), abi::kErrInvalid);
  EXPECT_EQ(c->create_buffer(10, kMaxSide + 1, 4), abi::kErrInvalid);
  int64_t s = c->create_surface(10);
  int64_t b = c->create_buffer(10, 4, 4);
  ASSERT_GT(s, 0);
  ASSERT_GT(b, 0);
  EXPECT_EQ(c->destroy_surface(20, uint32_t(s)), abi::kErrNoEntry);  // not its surface
  EXPECT_EQ(c->attach(20, uint32_t(s), uint32_t(b)), abi::kErrNoEntry);
  EXPECT_EQ(c->attach(10, uint32_t(s), 0), abi::kErrNoEntry);
  EXPECT_EQ(c->attach(10, kMaxSurfaces + 1, uint32_t(b)), abi::kErrNoEntry);
  EXPECT_EQ(c->commit(10, uint32_t(s), Rect{}, kMaxScreen + 1, 0), abi::kErrInvalid);
  size_t bytes = 0;
  int64_t error = 0;
  EXPECT_EQ(c->buffer_pixels(20, uint32_t(b), bytes, error), nullptr);
  EXPECT_EQ(error, abi::kErrNoEntry);
  EXPECT_EQ(c->destroy_buffer(10, uint32_t(b)), 0);
  EXPECT_EQ(c->destroy_buffer(10, uint32_t(b)), abi::kErrNoEntry);  // twice
  EXPECT_EQ(c->add_client(10), abi::kErrInvalid);
  EXPECT_EQ(c->add_client(0), abi::kErrInvalid);
}

TEST_F(CompositorTest, ThePoolIsBoundedAndAFailedAllocationIsAnError) {
  // max_buffer_bytes holds four 16 x 16 buffers.
  for (int i = 0; i < 4; ++i) EXPECT_GT(c->create_buffer(10, 16, 16), 0);
  EXPECT_EQ(c->create_buffer(10, 16, 16), abi::kErrQuota);
  EXPECT_EQ(c->create_buffer(20, 1, 1), abi::kErrQuota);
  ASSERT_EQ(c->destroy_buffer(10, 1), 0);
  memory.fail_next = true;
  EXPECT_EQ(c->create_buffer(10, 16, 16), abi::kErrNoMemory);
  EXPECT_GT(c->create_buffer(10, 16, 16), 0);
  EXPECT_EQ(c->stats().buffers, 4u);
}

TEST_F(CompositorTest, QueuesAreBoundedAndOverflowIsReportedToTheClient) {
  CompositorEvent e{EventType::kKey, 0, 0, 0, 0, 1234, 7, 1, 0};
  uint64_t first = c->queue_event(10, e);
  EXPECT_GT(first, 0u);
  for (int i = 0; i < 3; ++i) EXPECT_GT(c->queue_event(10, e), first);
  EXPECT_EQ(c->queue_event(10, e), 0u);  // capacity 4
  EXPECT_EQ(c->queue_event(10, e), 0u);
  EXPECT_EQ(c->queue_event(99, e), 0u);  // not a client
  CompositorEvent got{};
  ASSERT_TRUE(c->next_event(10, got));
  EXPECT_EQ(got.seq, first);
  EXPECT_EQ(got.queued_tsc, 1234u);
  EXPECT_EQ(got.overflowed, 2u);
  EXPECT_EQ(c->pending_events(10), 3u);
  EXPECT_FALSE(c->next_event(20, got));
  Stats s = c->stats();
  EXPECT_EQ(s.events_overflowed, 2u);
  EXPECT_EQ(s.events_queued, 4u);
  EXPECT_EQ(s.events_delivered, 1u);
}

TEST_F(CompositorTest, DragsCarryThePayloadToTheTopmostOtherClient) {
  uint32_t source = show(10, 8, 8, 0xffffffff, 0, 0);
  uint32_t target = show(20, 8, 8, 0xff000000, 30, 30);
  int64_t drag = c->start_drag(10, source, 0xabcdef);
  ASSERT_GT(drag, 0);
  c->route_drags(34, 34, 99);
  CompositorEvent e{};
  ASSERT_TRUE(c->next_event(20, e));
  EXPECT_EQ(e.type, EventType::kDragDrop);
  EXPECT_EQ(e.surface, target);
  EXPECT_EQ(e.data, 0xabcdefu);
  EXPECT_EQ(e.data2, uint64_t(drag));
  EXPECT_EQ(c->finish_drag(10, uint32_t(drag), true, 100), abi::kErrNoEntry);  // not the target
  EXPECT_EQ(c->finish_drag(20, uint32_t(drag), true, 100), 0);
  ASSERT_TRUE(c->next_event(10, e));
  EXPECT_EQ(e.type, EventType::kDragFinished);
  EXPECT_EQ(e.data, 1u);
  // Dropped where only the source itself is: cancelled.
  drag = c->start_drag(10, source, 1);
  c->route_drags(2, 2, 101);
  ASSERT_TRUE(c->next_event(10, e));
  EXPECT_EQ(e.type, EventType::kDragCancelled);
  Stats s = c->stats();
  EXPECT_EQ(s.drags_completed, 1u);
  EXPECT_EQ(s.drags_cancelled, 1u);
  EXPECT_EQ(s.drags, 0u);
}

// A source that ends (a soak asks every client to quit in turn) while its drop waits in the
// target's queue takes the drag with it: the target's finish is kErrNoEntry, which the soak's
// client (os/user/programs/client.cpp) must tolerate; it once ended a soak run with exit 1.
TEST_F(CompositorTest, ADropWhoseSourceEndedCannotBeFinished) {
  uint32_t source = show(10, 8, 8, 0xffffffff, 0, 0);
  show(20, 8, 8, 0xff000000, 30, 30);
  int64_t drag = c->start_drag(10, source, 7);
  ASSERT_GT(drag, 0);
  c->route_drags(34, 34, 1);
  CompositorEvent e{};
  ASSERT_TRUE(c->next_event(20, e));
  ASSERT_EQ(e.type, EventType::kDragDrop);
  c->remove_client(10, 2);
  EXPECT_EQ(c->finish_drag(20, uint32_t(e.data2), true, 3), abi::kErrNoEntry);
  EXPECT_EQ(c->stats().drags, 0u);
}

TEST_F(CompositorTest, RemovingAClientFreesEverythingItHeldAndRedrawsBeneath) {
  show(10, 16, 16, 0xffff0000, 0, 0);
  show(10, 8, 8, 0xffff0000, 20, 0);
  uint32_t target = show(20, 8, 8, 0xff00ff00, 40, 0);
  c->compose();
  int64_t drag = c->start_drag(20, target, 5);
  c->route_drags(2, 2, 1);  // dropped on client 10
  ASSERT_EQ(c->pending_events(10), 1u);
  size_t before = memory.live.size();
  c->remove_client(10, 2);
  EXPECT_EQ(memory.live.size(), before - 2);
  EXPECT_FALSE(c->is_client(10));
  CompositorEvent e{};
  ASSERT_TRUE(c->next_event(20, e));  // its drag's target went away
  EXPECT_EQ(e.type, EventType::kDragCancelled);
  EXPECT_EQ(e.data2, uint64_t(drag));
  c->compose();
  EXPECT_EQ(pixel(0, 0), kBackground);
  EXPECT_EQ(pixel(40, 0), 0xff00ff00u);
  Stats s = c->stats();
  EXPECT_EQ(s.clients, 1u);
  EXPECT_EQ(s.surfaces, 1u);
  EXPECT_EQ(s.buffers, 1u);
}

TEST_F(CompositorTest, TheInvariantsHoldAfterEveryRequest) {
  EXPECT_EQ(std::string(c->check().data(), c->check().size()), "");
  const uint32_t source = show(10, 8, 8, 0xffffffff, 0, 0);
  const uint32_t target = show(20, 8, 8, 0xff000000, 30, 30);
  EXPECT_TRUE(c->check().empty());
  const int64_t drag = c->start_drag(10, source, 7);
  c->route_drags(34, 34, 1);
  EXPECT_TRUE(c->check().empty());
  const int64_t spare = c->create_buffer(20, 4, 4);
  ASSERT_EQ(c->attach(20, target, uint32_t(spare)), 0);
  ASSERT_EQ(c->destroy_buffer(20, uint32_t(spare)), 0);  // attached, not committed
  EXPECT_TRUE(c->check().empty());
  c->remove_client(20, 2);  // the drag's target leaves
  EXPECT_TRUE(c->check().empty());
  EXPECT_EQ(c->finish_drag(20, uint32_t(drag), true, 3), abi::kErrPerm);
  c->compose();
  EXPECT_TRUE(c->check().empty());
}

// The planted kBugCompositorStaleAttach: a destroyed buffer stays attached, and once another
// client's buffer takes its slot, a commit shows that client's pixels. The check names it at once.
TEST(CompositorCheck, AStaleAttachmentBreaksTheSurfaceBufferInvariant) {
  for (const bool planted : {false, true}) {
    CountingMemory memory;
    auto c = std::make_unique<Compositor>();
    Config config;
    config.width = 64;
    config.height = 48;
    config.stale_pending_attach = planted;
    ASSERT_TRUE(c->start(config, memory));
    ASSERT_EQ(c->add_client(10), 0);
    ASSERT_EQ(c->add_client(20), 0);
    const int64_t surface = c->create_surface(10);
    const int64_t buffer = c->create_buffer(10, 4, 4);
    ASSERT_EQ(c->attach(10, uint32_t(surface), uint32_t(buffer)), 0);
    ASSERT_EQ(c->destroy_buffer(10, uint32_t(buffer)), 0);
    const StringView broken = c->check();
    EXPECT_EQ(std::string(broken.data(), broken.size()), planted ? "COMPOSITOR_SURFACE_BUFFER" : "")
        << planted;
    EXPECT_EQ(c->create_buffer(20, 4, 4), buffer);  // the freed slot, now client 20's
    ASSERT_EQ(c->commit(10, uint32_t(surface), Rect{0, 0, 4, 4}, 0, 0), 0);
    Rect where{};
    EXPECT_EQ(c->top_surface_of(10, where) != 0, planted) << "client 10 shows client 20's buffer";
    c->stop();
  }
}

TEST(CompositorStart, RejectsBadConfigAndSurvivesNoMemory) {
  CountingMemory memory;
  auto c = std::make_unique<Compositor>();
  Config bad;
  bad.width = 0;
  EXPECT_FALSE(c->start(bad, memory));
  bad = Config{};
  bad.queue_capacity = kMaxQueue + 1;
  EXPECT_FALSE(c->start(bad, memory));
  memory.fail_next = true;
  EXPECT_FALSE(c->start(Config{}, memory));
  EXPECT_FALSE(c->running());
  EXPECT_EQ(c->add_client(1), abi::kErrInvalid);
  ASSERT_TRUE(c->start(Config{}, memory));
  for (uint32_t pid = 1; pid <= kMaxClients; ++pid) EXPECT_EQ(c->add_client(pid), 0);
  EXPECT_EQ(c->add_client(kMaxClients + 1), abi::kErrQuota);
  c->stop();
  EXPECT_TRUE(memory.live.empty());
}

}  // namespace
}  // namespace rayos::compositor
