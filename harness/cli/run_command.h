#pragma once
// `osharness run`: runs campaign specs (or one ad-hoc spec from flags), journals every run,
// writes the reports and exits with the worst verdict's code.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "harness/campaign/plugins.h"

namespace osh::cli {

struct RunArgs {
  std::vector<std::filesystem::path> specs;
  // Ad-hoc spec (when no spec files are given).
  std::optional<std::filesystem::path> kernel;
  std::optional<std::filesystem::path> initrd;  // guest.initrd
  std::optional<std::string> append;            // guest.append: more kernel command-line words
  std::optional<std::string> schema;            // guest.schema: rayos, none or a file
  std::optional<std::string> marker_prefix;     // guest.marker_prefix (with schema none)
  bool ktap = false;                            // guest.ktap
  std::optional<std::string> scenario;
  std::vector<std::string> params;  // "k=v": the ad-hoc spec's, or added to each spec file's
  std::optional<uint64_t> seed;
  std::optional<std::string> machine;
  std::optional<std::string> memory;
  std::optional<int> cpus;
  std::optional<int64_t> disk_mib;     // a fresh virtio-blk disk image of this size per run
  std::optional<std::string> accel;    // QEMU's: guest.qemu.accel
  std::optional<std::string> backend;  // guest.backend
  std::optional<std::string> connect;  // libvirt's URI: guest.libvirt.uri
  bool deterministic = false;          // guest.deterministic
  bool record = false;                 // guest.record (and deterministic)
  std::optional<double> timeout_s;
  std::optional<double> idle_timeout_s;
  std::optional<double> heartbeat_timeout_s;
  std::optional<int> expect_exit;
  std::optional<int> repeat;
  std::vector<std::string> criteria;
  std::vector<std::string> analyzers;  // "soak", "stress", ...
  std::vector<std::string> qemu_args;
  // Campaign options.
  std::vector<std::string> filters;  // --filter: name globs and tag:GLOB (campaign/selection.h)
  bool list = false;                 // print the selected specs, run nothing
  bool dry_run = false;              // print the planned runs with their seeds, run nothing
  std::optional<std::filesystem::path> out;
  int jobs = 1;
  int reruns = 0;
  bool overwrite = false;
  bool quiet = false;
  std::string keep = "all";          // campaign::parse_keep
  bool compress_logs = false;        // console.log.gz
  std::string report_url;            // summary.md's link to the full report
  std::optional<std::string> shard;  // "i/n"
  // Rerun the runs that did not pass in this output folder, with their seeds.
  std::optional<std::filesystem::path> only_failed;
  // Finish the campaign of this output folder (its missing runs) instead of starting one.
  std::optional<std::filesystem::path> resume;
  std::vector<std::string> argv;  // for the journal
};

int run_command(const RunArgs& args, const campaign::Plugins& plugins);

}  // namespace osh::cli
