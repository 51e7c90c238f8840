// decoder size seed timing place: a video player. size: width << 16 | height; seed: the stream
// (os/core/rle_video.h); timing: frames << 16 | fps; place: x << 48 | y << 32 | flags. It reads
// each frame of the run-length-coded stream, decodes it into its surface's buffer and commits it
// when it is due (frame n at n / fps seconds after frame 0, on the guest's clock), then keeps the
// last frame on screen until the compositor asks it to quit. flags bit 0 (planted bug
// drop_frames, set by the kernel): a frame found late by more than 2 ms is dropped to catch up
// instead of shown. Exit 0, 1 for a failed system call, 2 for a frame that does not decode.
#include "os/core/compositor_abi.h"
#include "os/core/rle_video.h"
#include "os/user/runtime/runtime.h"

using namespace rayos::user;
namespace abi = rayos::abi;
namespace video = rayos::video;

namespace {

constexpr uint64_t kDropLate = 1;
constexpr uint64_t kLateNs = 2'000'000;

uint64_t pages_for(uint64_t bytes) { return (bytes + abi::kPageSize - 1) / abi::kPageSize; }

}  // namespace

extern "C" uint64_t rayos_main(uint64_t size, uint64_t seed, uint64_t timing, uint64_t place) {
  const uint32_t width = static_cast<uint32_t>(size >> 16), height = size & 0xffff;
  const uint32_t frames = static_cast<uint32_t>(timing >> 16), fps = timing & 0xffff;
  const int32_t x = static_cast<int16_t>(place >> 48), y = static_cast<int16_t>(place >> 32);
  if (fps == 0) return 1;
  const uint64_t pixel_bytes = uint64_t{width} * height * 4;
  const int64_t pixels = mem_map(pages_for(pixel_bytes));
  const size_t run_capacity = video::max_runs(height);
  const int64_t runs = mem_map(pages_for(run_capacity * sizeof(video::Run)));
  const int64_t surface = syscall(abi::kSurfaceCreate);
  const int64_t buffer = syscall(abi::kBufferCreate, width, height);
  if (pixels < 0 || runs < 0 || surface < 0 || buffer < 0) return 1;
  if (syscall(abi::kSurfaceAttach, surface, buffer) < 0) return 1;
  auto* run_array = reinterpret_cast<video::Run*>(runs);
  const uint64_t period_ns = 1'000'000'000 / fps;
  const uint64_t start = time_ns();
  for (uint32_t seq = 0; seq < frames; ++seq) {
    const uint64_t due = start + seq * period_ns;
    const uint64_t now = time_ns();
    if (now < due && sleep_ms((due - now + 999'999) / 1'000'000) != 0) return 1;
    if ((place & kDropLate) && time_ns() > due + kLateNs) continue;
    const size_t n = video::encode_frame(seed, seq, width, height, run_array, run_capacity);
    if (n == 0 ||
        !video::decode(run_array, n, reinterpret_cast<uint32_t*>(pixels), size_t{width} * height))
      return 2;
    if (syscall(abi::kBufferWrite, buffer, static_cast<uint64_t>(pixels), pixel_bytes) < 0 ||
        syscall(abi::kSurfaceCommit, surface, abi::pack_rect(0, 0, width, height),
                abi::pack_rect(x, y, 0, 0)) < 0)
      return 1;
  }
  for (;;) {
    abi::CompositorEvent event{};
    const int64_t got = syscall(abi::kEventWait, reinterpret_cast<uint64_t>(&event), 1000);
    if (got < 0 && got != abi::kErrAgain) return 1;
    if (got == 0 && event.type == abi::EventType::kQuit) return 0;
  }
}
