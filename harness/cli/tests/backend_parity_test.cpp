// The QEMU and libvirt backends run the same specs unchanged (issue 15): every demo spec, in
// deterministic mode, gives the same verdict per run under both, and the same console bytes for
// every run that was deterministic (faults are applied at host times: those runs say they were
// not, and only their verdicts are compared). Label libvirt: needs a running libvirtd
// (scripts/setup starts it), a few minutes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "harness/cli/tests/osharness_process.h"

namespace osh::cli::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<fs::path> demo_specs() {
  std::vector<fs::path> specs;
  for (const auto& entry : fs::directory_iterator(fs::path(OSH_PARITY_SOURCE_DIR) / "demo"))
    if (entry.path().extension() == ".json") specs.push_back(entry.path());
  std::sort(specs.begin(), specs.end());
  return specs;
}

class BackendParity : public ::testing::TestWithParam<fs::path> {
 protected:
  json run(const std::string& backend) {
    const fs::path out = dir_.path() / backend;
    const auto done = run_osharness({"run", GetParam().string(), "--deterministic", "--backend",
                                     backend, "--out", out.string(), "-q"},
                                    dir_.path(), std::chrono::seconds(600));
    EXPECT_TRUE(done.status.code == 0 || done.status.code == 1)
        << backend << ": " << done.out << done.err;
    return read_json(out / "report.json");
  }
  TempDir dir_;
};

TEST_P(BackendParity, SameVerdictsAndTheSameConsoleBytesWhereDeterministic) {
  const json qemu = run("qemu");
  const json libvirt = run("libvirt");
  ASSERT_EQ(qemu["runs"].size(), libvirt["runs"].size());
  ASSERT_FALSE(qemu["runs"].empty());
  std::map<int, json> by_index;
  for (const auto& r : libvirt["runs"]) by_index[r["index"].get<int>()] = r;
  for (const auto& a : qemu["runs"]) {
    const json& b = by_index.at(a["index"].get<int>());
    SCOPED_TRACE(a["name"].get<std::string>() + " #" + std::to_string(a["index"].get<int>()));
    EXPECT_EQ(a["seed"], b["seed"]);
    EXPECT_EQ(a["verdict"], b["verdict"]) << a["reason"] << " | " << b["reason"];
    EXPECT_EQ(a["deterministic"], b["deterministic"]);
    if (!a["deterministic"].get<bool>()) continue;
    EXPECT_EQ(read_file(dir_.path() / "qemu" / a["console_log"].get<std::string>()),
              read_file(dir_.path() / "libvirt" / b["console_log"].get<std::string>()));
  }
}

INSTANTIATE_TEST_SUITE_P(Demo, BackendParity, ::testing::ValuesIn(demo_specs()),
                         [](const auto& info) {
                           std::string name = info.param.stem().string();
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace osh::cli::testing
