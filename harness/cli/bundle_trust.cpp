#include "harness/cli/bundle_trust.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "harness/base/escape.h"

namespace osh::cli {
namespace {

// Every backend that starts QEMU writes its extra arguments there (QemuOptions::to_json).
std::vector<std::string> extra_qemu_args(const campaign::Spec& spec) {
  const nlohmann::json guest = campaign::to_json(spec)["guest"];
  if (!guest.contains("qemu") || !guest["qemu"].contains("args")) return {};
  return guest["qemu"]["args"].get<std::vector<std::string>>();
}

}  // namespace

std::filesystem::path trusted_qemu_args_file() {
  const char* config = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  const std::filesystem::path base = config && *config ? std::filesystem::path(config)
                                     : home && *home   ? std::filesystem::path(home) / ".config"
                                                       : std::filesystem::path();
  return base.empty() ? base : base / "osharness" / "trusted-qemu-args";
}

std::vector<std::string> read_trusted_qemu_args(const std::filesystem::path& file) {
  std::vector<std::string> allowed;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line.front() != '#') allowed.push_back(line);
  }
  return allowed;
}

std::vector<std::string> untrusted_qemu_args(const campaign::Spec& spec,
                                             const std::vector<std::string>& allowed) {
  std::vector<std::string> untrusted;
  for (auto& arg : extra_qemu_args(spec))
    if (std::find(allowed.begin(), allowed.end(), arg) == allowed.end())
      untrusted.push_back(std::move(arg));
  return untrusted;
}

std::vector<std::string> host_access(const campaign::Spec& spec,
                                     const std::filesystem::path& bundle_folder) {
  std::vector<std::string> access;
  for (const auto& [name, config] : spec.hooks)
    for (auto& a : config->host_access(bundle_folder)) access.push_back(std::move(a));
  if (spec.guest.backend_options)
    for (auto& a : spec.guest.backend_options->host_access()) access.push_back(std::move(a));
  return access;
}

std::vector<std::string> describe_rerun(const campaign::Spec& spec,
                                        const campaign::ReproBundle& bundle,
                                        const std::string& current_sha256,
                                        const std::vector<std::string>& access) {
  std::vector<std::string> lines;
  lines.push_back(
      "kernel   " + quoted_text(spec.guest.kernel.string()) +
      (bundle.kernel_sha256.empty() ? ""
       : bundle.kernel_sha256 == current_sha256
           ? " (the image of the failure, SHA-256 " + current_sha256.substr(0, 12) + "…)"
           : " (CHANGED since the failure)"));
  if (!spec.guest.initrd.empty())
    lines.push_back("initrd   " + quoted_text(spec.guest.initrd.string()));
  lines.push_back("scenario " + quoted_text(spec.scenario) + ", seed " +
                  std::to_string(bundle.seed));
  lines.push_back("append   " + quoted_text(campaign::kernel_command_line(spec, bundle.seed)));
  std::string args;
  for (const auto& arg : extra_qemu_args(spec)) args += " " + quoted_text(arg);
  lines.push_back("QEMU arguments beyond the harness's own:" + (args.empty() ? " none" : args));
  lines.push_back(std::string("beyond its run folder:") + (access.empty() ? " nothing" : ""));
  for (const auto& a : access) lines.push_back("  " + a);
  return lines;
}

}  // namespace osh::cli
