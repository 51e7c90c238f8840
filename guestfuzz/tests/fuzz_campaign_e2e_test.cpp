// Fuzz campaigns end to end: the real osharness runs rayos's fuzz scenario under QEMU with a
// planted bug (the command-line parser's off-by-one, the IPC queues' use of a freed buffer, the
// system-call layer's missing bounds check on drag_finish's drag id, the URL parser's reversed
// IPv4 host, the compositor's stale attachment, the ELF loader's program-header overread). The
// fuzzer must find it, in one bucket, save the minimized crashing input with a repro bundle, and
// `osharness repro` of that bundle must crash the same way every time. Without the bug the run
// passes and its corpus feeds the next.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "coverage/tests/lcov_lines.h"
#include "harness/base/testing/temp_dir.h"
#include "harness/cli/tests/osharness_process.h"

namespace osh::cli::testing {
namespace {

using coverage::testing::lcov_lines;
using nlohmann::json;

class FuzzCampaign {
 public:
  // `fuzz` is merged over the spec's fuzz section.
  FuzzCampaign(const test_support::TempDir& dir, const std::string& name, const std::string& append,
               const json& fuzz)
      : out_(dir.path() / name) {
    json spec = read_json(GUESTFUZZ_PLANTED_SPEC);
    spec["guest"]["accel"] = "tcg";
    spec["guest"]["append"] = append;
    spec["fuzz"]["corpus_dir"] = (dir.path() / "corpus").string();
    spec["fuzz"].merge_patch(fuzz);
    const auto path = dir.path() / (name + ".json");
    std::ofstream(path) << spec.dump(2);
    finished_ = run_osharness({"run", path.string(), "--out", out_.string()}, dir.path());
  }
  const Finished& finished() const { return finished_; }
  json run() const { return read_json(out_ / "report.json")["runs"][0]; }
  std::string console() const { return read_file(out_ / run()["console_log"].get<std::string>()); }
  std::string report_html() const { return read_file(out_ / "report.html"); }

 private:
  std::filesystem::path out_;
  Finished finished_;
};

size_t files_in(const std::filesystem::path& folder) {
  size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(folder)) n += e.is_regular_file();
  return n;
}

// The 1-based number of the line of `file` that contains `text`.
int line_of(const std::filesystem::path& file, const std::string& text) {
  std::istringstream in(read_file(file));
  int number = 0;
  for (std::string line; std::getline(in, line);)
    if (++number, line.find(text) != std::string::npos) return number;
  ADD_FAILURE() << text << " is not in " << file;
  return 0;
}

// Runs a campaign on `target` with the planted `bug` until its first crash; checks that the crash
// is one bucket whose id starts with `bucket_prefix`, that its input was minimized, and that the
// bucket's bundle reproduces it 3 of 3. Returns the saved input.
std::string find_and_reproduce(const std::string& target, const std::string& bug,
                               const std::string& bucket_prefix) {
  test_support::TempDir dir;
  // The first crash ends the run (no restart); the duration only bounds the search. It is the
  // guest's clock, which rayos calibrates against PIT ticks at boot: on a loaded host (ctest -j)
  // a burst of late ticks once made it run about 60 times fast, and a 20 s duration ended after
  // 0.3 s of wall time without a crash. An hour of guest time leaves the crash to end the run.
  const FuzzCampaign campaign(dir, "planted", "osh.bug=" + bug,
                              {{"target", target}, {"duration_s", 3600}, {"max_restarts", 0}});
  EXPECT_EQ(campaign.finished().status.code, 2)
      << campaign.finished().out << campaign.finished().err;
  const json run = campaign.run();
  EXPECT_EQ(run["verdict"], "CRASH");
  EXPECT_EQ(run["metrics"]["fuzz.buckets"], 1) << run["analysis"]["fuzz"].dump(1);
  EXPECT_EQ(run["metrics"]["fuzz.crashes"], 1);
  EXPECT_EQ(run["metrics"]["fuzz.vm_restarts"], 0);
  EXPECT_LT(run["duration_ms"].get<double>(), 120'000) << "it stopped at the crash";
  if (run["analysis"]["fuzz"]["buckets"].empty()) {
    ADD_FAILURE() << "no bucket";
    return "";
  }
  const json bucket = run["analysis"]["fuzz"]["buckets"][0];
  EXPECT_EQ(bucket["id"].get<std::string>().substr(0, bucket_prefix.size()), bucket_prefix);
  std::string input = read_file(bucket["input"].get<std::string>());
  EXPECT_EQ(input.size(), bucket["input_bytes"]);
  // Minimized by rerunning cuts in the guest: never longer than as found.
  EXPECT_GT(bucket["minimize_reruns"].get<int>(), 0);
  EXPECT_LE(input.size(), bucket["found_bytes"].get<size_t>());

  const auto bundle = bucket["repro_bundle"].get<std::string>();
  EXPECT_TRUE(std::filesystem::exists(bundle));
  const Finished repro = run_osharness(
      {"repro", bundle, "--runs", "3", "--jobs", "2", "--out", (dir.path() / "repro").string()},
      dir.path());
  EXPECT_EQ(repro.status.code, 0) << repro.out << repro.err;
  const std::string kind = bucket_prefix.substr(0, bucket_prefix.find('-'));
  EXPECT_NE(repro.out.find("3 of 3 runs reproduced CRASH " + kind), std::string::npos) << repro.out;
  return input;
}

TEST(GuestFuzzCampaign, FindsThePlantedOffByOneInOneBucketAndItsBundleCrashesTheSameWay) {
  const std::string input =
      find_and_reproduce("cmdline", "cmdline_seed_off_by_one", "PAGE_FAULT-parse_u64-");
  // The input ends with an osh.seed value of digits, the only way to reach the byte past it.
  EXPECT_TRUE(std::regex_search(input, std::regex("osh\\.seed=[0-9]*$"))) << input;
}

TEST(GuestFuzzCampaign, FindsThePlantedUseOfAFreedIpcBufferAndItsBundleCrashesTheSameWay) {
  // check() panics: it is the top frame (panic's frame 0 is its call site, inside check).
  const std::string input = find_and_reproduce("ipc", "ipc_use_after_free", "IPC_CORRUPT-check-");
  // At least a create, a close and a use of the closed queue.
  EXPECT_GE(input.size(), 3u);
}

TEST(GuestFuzzCampaign, FindsThePlantedMissingSyscallBoundsCheckAndItsBundleCrashesTheSameWay) {
  const std::string input =
      find_and_reproduce("syscall", "syscall_missing_bounds_check", "PAGE_FAULT-finish_drag-");
  // A drag_finish call (21, modulo 32) whose drag id is a 4- or 8-byte value (tag >= 0x80).
  bool drag_finish_with_a_wide_id = false;
  for (size_t i = 0; i + 1 < input.size(); ++i)
    drag_finish_with_a_wide_id |=
        static_cast<uint8_t>(input[i]) % 32 == 21 && static_cast<uint8_t>(input[i + 1]) >= 0x80;
  EXPECT_TRUE(drag_finish_with_a_wide_id) << ::testing::PrintToString(input);
}

// The URL parser's round trip (os/core/web/url_round_trip.h) holds for whatever the fuzzer makes
// of the WPT seeds, and the fuzzer finds inputs that reach code the seeds did not.
TEST(GuestFuzzCampaign, TheUrlParserRoundTripsWhatTheFuzzerMakesAndCoverageGrows) {
  test_support::TempDir dir;
  const FuzzCampaign campaign(dir, "url", "", {{"target", "url"}, {"duration_s", 3}});
  EXPECT_EQ(campaign.finished().status.code, 0)
      << campaign.finished().out << campaign.finished().err;
  const json run = campaign.run();
  EXPECT_EQ(run["verdict"], "PASS") << run["reason"] << run["analysis"]["fuzz"].dump(1);
  EXPECT_EQ(run["metrics"]["fuzz.crashes"], 0);
  EXPECT_GT(run["metrics"]["fuzz.execs"].get<double>(), 0);
  // Each FUZZ:NEW carries the edge count after its input: more at the last than at the first.
  const std::string console = campaign.console();
  const std::regex fresh("RAYOS_FUZZ:NEW:[0-9]+:([0-9]+):");
  std::vector<int> edges;
  for (auto it = std::sregex_iterator(console.begin(), console.end(), fresh);
       it != std::sregex_iterator(); ++it)
    edges.push_back(std::stoi((*it)[1]));
  ASSERT_GE(edges.size(), 2u) << console.substr(0, 4000);
  EXPECT_GT(edges.back(), edges.front());
  // Line coverage names the parser's sources.
  const json coverage = run["analysis"]["fuzz"]["coverage"];
  const auto url_lines =
      lcov_lines(read_file(coverage["tracefile"].get<std::string>()), "/os/core/web/url.cpp");
  size_t hit = 0;
  for (const auto& [line, count] : url_lines) hit += count > 0;
  EXPECT_GT(hit, 0u) << coverage.dump(1);
}

TEST(GuestFuzzCampaign,
     FindsThePlantedReversedIpv4HostByItsRoundTripAndItsBundleCrashesTheSameWay) {
  const std::string input =
      find_and_reproduce("url", "url_ipv4_reversed", "URL_REPARSE_CHANGED-run_url-");
  // Only a host that ends in a number is parsed as IPv4: a digit is needed.
  EXPECT_TRUE(std::regex_search(input, std::regex("[0-9]"))) << ::testing::PrintToString(input);
}

// The compositor target's requests (os/workloads/fuzz_compositor.cpp): a byte whose low 4 bits
// modulo 13 are the request and bits 4-5 the client, then the request's argument bytes.
struct CompositorRequest {
  int kind, client;
};
std::vector<CompositorRequest> compositor_requests(const std::string& input) {
  constexpr int kArgumentBytes[13] = {0, 1, 2, 3, 1, 2, 7, 0, 2, 2, 2, 2, 0};
  std::vector<CompositorRequest> requests;
  for (size_t i = 0; i < input.size();) {
    const auto op = static_cast<uint8_t>(input[i]);
    requests.push_back({(op & 15) % 13, (op >> 4) & 3});
    i += 1 + kArgumentBytes[requests.back().kind];
  }
  return requests;
}

TEST(GuestFuzzCampaign, FindsThePlantedStaleCompositorAttachmentByItsInvariantAndItsBundleCrashes) {
  // The check after each request (Compositor::check) names the broken invariant: a surface whose
  // attached buffer is no live buffer of its client.
  const std::string input = find_and_reproduce("compositor", "compositor_stale_attach",
                                               "COMPOSITOR_SURFACE_BUFFER-run_compositor-");
  // A client attaches a buffer (5) and later destroys a buffer (4): the bug's only way in.
  bool attach_then_destroy = false;
  std::vector<CompositorRequest> requests = compositor_requests(input);
  for (size_t i = 0; i < requests.size(); ++i)
    for (size_t k = i + 1; k < requests.size(); ++k)
      attach_then_destroy |= requests[i].kind == 5 && requests[k].kind == 4 &&
                             requests[i].client == requests[k].client;
  EXPECT_TRUE(attach_then_destroy) << ::testing::PrintToString(input);
}

TEST(GuestFuzzCampaign, FindsThePlantedElfProgramHeaderOverreadAndItsBundleCrashesTheSameWay) {
  const std::string input = find_and_reproduce("elf", "elf_phdr_past_end", "PAGE_FAULT-parse_elf-");
  // The edits (os/workloads/fuzz_elf.cpp: tag, offset byte, value) move the program headers' end
  // past the file's only by truncating it (offset 16383, 2 bytes) or changing e_phoff (32) or
  // e_phnum (56).
  bool moves_the_headers_end = false;
  for (size_t i = 1; i < input.size();) {
    const auto tag = static_cast<uint8_t>(input[i]);
    const int offset =
        (tag & 63) << 8 | (i + 1 < input.size() ? static_cast<uint8_t>(input[i + 1]) : 0);
    const int width = 1 << (tag >> 6);
    moves_the_headers_end |= (offset == 16383 && width == 2) || offset == 32 || offset == 56;
    i += 2 + width;
  }
  EXPECT_TRUE(moves_the_headers_end) << ::testing::PrintToString(input);
}

// Without their bugs, the compositor and ELF targets keep every invariant and give back all the
// memory of every input, and reach the code past the first checks: a drag finished between two
// clients, an image's segments copied into a scratch address space.
TEST(GuestFuzzCampaign, TheCompositorAndElfTargetsPassWithoutTheirBugsAndReachTheirDeepCode) {
  const std::map<std::string, std::pair<std::string, std::string>> deep = {
      {"compositor", {"/os/core/compositor.cpp", "++drags_completed_;"}},
      {"elf", {"/os/kernel/address_space.cpp", "__builtin_memcpy(arch::phys_to_virt<uint8_t>"}}};
  for (const auto& [target, where] : deep) {
    test_support::TempDir dir;
    const FuzzCampaign campaign(dir, target, "", {{"target", target}, {"duration_s", 2}});
    EXPECT_EQ(campaign.finished().status.code, 0)
        << campaign.finished().out << campaign.finished().err;
    const json run = campaign.run();
    EXPECT_EQ(run["verdict"], "PASS") << target << run["reason"];
    EXPECT_GT(run["metrics"]["fuzz.execs"].get<double>(), 0) << target;
    const json coverage = run["analysis"]["fuzz"]["coverage"];
    const auto lines = lcov_lines(read_file(coverage["tracefile"].get<std::string>()), where.first);
    const int line = line_of(GUESTFUZZ_SOURCE_DIR + where.first, where.second);
    ASSERT_TRUE(lines.contains(line)) << target << " " << where.first << ":" << line;
    EXPECT_GT(lines.at(line), 0u) << target << " " << where.first << ":" << line;
  }
}

TEST(GuestFuzzCampaign, ReplayingAKnownInputCountsTheLinesItRan) {
  test_support::TempDir dir;
  const auto input = dir.path() / "metrics.in";
  std::ofstream(input) << "metrics";
  const FuzzCampaign replay(dir, "replay", "", {{"duration_s", 1}, {"replay", input.string()}});
  ASSERT_EQ(replay.finished().status.code, 0) << replay.finished().out << replay.finished().err;
  const json coverage = replay.run()["analysis"]["fuzz"]["coverage"];
  const auto lines =
      lcov_lines(read_file(coverage["tracefile"].get<std::string>()), "/os/core/cmdline.cpp");
  // The shell-line parser ran once on "metrics": its metrics branch once, the run branch never.
  const std::filesystem::path source = GUESTFUZZ_SOURCE_DIR "/os/core/cmdline.cpp";
  const int metrics = line_of(source, "if (command == \"metrics\")");
  const int run = line_of(source, "if (!(command == \"run\"))");
  ASSERT_TRUE(lines.contains(metrics) && lines.contains(run)) << coverage.dump(1);
  EXPECT_EQ(lines.at(metrics), 1u);
  EXPECT_EQ(lines.at(run), 0u);
  EXPECT_GT(coverage["lines_hit"].get<int>(), 0);
  EXPECT_LT(coverage["lines_hit"].get<int>(), coverage["lines_found"].get<int>());
  const std::string html = replay.report_html();
  EXPECT_NE(html.find("Fuzz line coverage"), std::string::npos);
  EXPECT_NE(html.find("core/cmdline.cpp"), std::string::npos);  // below the common folder
}

TEST(GuestFuzzCampaign, WithoutTheBugItPassesAndTheNextRunStartsFromItsCorpus) {
  test_support::TempDir dir;
  const FuzzCampaign first(dir, "first", "", {{"duration_s", 3}});
  EXPECT_EQ(first.finished().status.code, 0) << first.finished().out << first.finished().err;
  const json run = first.run();
  EXPECT_EQ(run["verdict"], "PASS") << run["reason"];
  EXPECT_EQ(run["metrics"]["fuzz.buckets"], 0);
  EXPECT_GT(run["metrics"]["fuzz.execs"].get<double>(), 0);
  const size_t stored = files_in(dir.path() / "corpus" / "corpus");
  EXPECT_GT(stored, 0u);
  EXPECT_EQ(run["analysis"]["fuzz"]["corpus_stored"], stored);
  ASSERT_FALSE(run["analysis"]["charts"].empty());

  const FuzzCampaign second(dir, "second", "", {{"duration_s", 1}});
  EXPECT_NE(second.console().find("RAYOS_FUZZ:START:cmdline:" + std::to_string(stored) + ":0:0 "),
            std::string::npos);
}

}  // namespace
}  // namespace osh::cli::testing
