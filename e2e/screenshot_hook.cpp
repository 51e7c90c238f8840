#include "e2e/screenshot_hook.h"

#include <fmt/format.h>

#include <algorithm>

#include "harness/base/errors.h"
#include "harness/base/escape.h"
#include "harness/base/json_reader.h"

namespace osh::e2e {
namespace {

namespace fs = std::filesystem;

bool is_shot_name(const std::string& s) {
  return !s.empty() && s.size() <= 64 &&
         std::all_of(s.begin(), s.end(),
                     [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ||
                              c == '.';
                     }) &&
         s != "." && s != "..";
}

// Paths in analysis are relative to the campaign's output folder (runs/<run>/...).
std::string out_relative(const fs::path& run_folder, const fs::path& file) {
  return (run_folder.parent_path().filename() / run_folder.filename() /
          file.lexically_relative(run_folder))
      .string();
}

}  // namespace

nlohmann::json ScreenshotConfig::to_json() const {
  nlohmann::json m = nlohmann::json::array();
  for (const auto& nm : masks) {
    nlohmann::json j = {{"x", nm.mask.x}, {"y", nm.mask.y}, {"w", nm.mask.w}, {"h", nm.mask.h}};
    if (!nm.shot.empty()) j["shot"] = nm.shot;
    m.push_back(std::move(j));
  }
  return {
      {"golden", golden_dir.string()}, {"expect", expect}, {"tolerance", tolerance}, {"masks", m}};
}

std::vector<Mask> ScreenshotConfig::masks_for(const std::string& shot) const {
  std::vector<Mask> out;
  for (const auto& nm : masks)
    if (nm.shot.empty() || nm.shot == shot) out.push_back(nm.mask);
  return out;
}

std::shared_ptr<const ScreenshotConfig> parse_screenshot_config(const nlohmann::json& section,
                                                                const std::string& origin) {
  if (!section.is_object()) {
    throw InputError(origin + ": screenshots: expected an object with \"golden\"");
  }
  JsonReader r(section, origin, "screenshots");
  auto config = std::make_shared<ScreenshotConfig>();
  const fs::path spec_dir = fs::path(origin).parent_path();
  const fs::path golden = r.required(r.string("golden"), "golden");
  config->golden_dir = golden.is_absolute() ? golden : (spec_dir / golden).lexically_normal();
  config->expect = r.strings("expect").value_or(std::vector<std::string>{});
  for (size_t i = 0; i < config->expect.size(); ++i) {
    if (!is_shot_name(config->expect[i])) {
      r.fail(fmt::format("expect[{}]", i),
             "\"" + config->expect[i] + "\" is not a screenshot name (letters, digits, _ . -)");
    }
  }
  config->tolerance = static_cast<int>(r.integer("tolerance", 0, 255).value_or(0));
  for (auto& m : r.objects("masks")) {
    ScreenshotConfig::NamedMask nm;
    nm.shot = m.string("shot").value_or("");
    nm.mask.x = static_cast<int>(m.required(m.integer("x", 0, 65535), "x"));
    nm.mask.y = static_cast<int>(m.required(m.integer("y", 0, 65535), "y"));
    nm.mask.w = static_cast<int>(m.required(m.integer("w", 1, 65535), "w"));
    nm.mask.h = static_cast<int>(m.required(m.integer("h", 1, 65535), "h"));
    m.reject_unknown();
    config->masks.push_back(nm);
  }
  r.reject_unknown();
  return config;
}

ScreenshotHook::ScreenshotHook(const ScreenshotConfig& config, fs::path run_folder)
    : config_(config), run_folder_(std::move(run_folder)) {}

void ScreenshotHook::configure(vm::VmConfig& config) {
  config.append += config.append.empty() ? "osh.screenshots=1" : " osh.screenshots=1";
}

void ScreenshotHook::before_start(vm::Vm& vm) {
  vm::require(vm, vm.screen(), "take screenshots (screenshots section)");
}

void ScreenshotHook::on_marker(const marker::MarkerEvent& e) {
  if (!e.is("INTEGRATION", "SCREENSHOT")) return;
  const marker::FieldValue* name = e.field("name");
  if (name != nullptr) pending_.emplace_back(name->text);
}

void ScreenshotHook::tick(int64_t, campaign::RunControl& control) {
  if (pending_.empty()) return;
  const fs::path dir = run_folder_ / "screens";
  fs::create_directories(dir);
  for (const std::string& name : pending_) {
    if (std::find(taken_.begin(), taken_.end(), name) != taken_.end()) {
      problems_.push_back("screenshot " + escape_text(name) + " was asked for twice");
    } else {
      try {
        vm::require(control.vm(), control.vm().screen(), "take screenshots")
            .screendump(dir / (name + ".png"));
        taken_.push_back(name);
      } catch (const std::exception& e) {
        problems_.push_back("screendump of " + escape_text(name) + " failed: " + e.what());
      }
    }
    // The guest waits for this whatever happened: it must not wait in vain.
    control.vm().send_console(0, "\n");
  }
  pending_.clear();
}

void ScreenshotHook::finish(campaign::RunResult& result) {
  auto fail = [&](std::string reason, std::string signature) {
    result.findings.push_back({campaign::Verdict::Fail, std::move(reason), std::move(signature)});
  };
  for (const auto& p : problems_) fail("screenshots: " + p, "FAIL screenshot problem");
  for (const auto& name : config_.expect) {
    if (std::find(taken_.begin(), taken_.end(), name) == taken_.end())
      fail("screenshots: " + name + " was never taken (the guest did not ask for it)",
           "FAIL screenshot " + name + " missing");
  }
  nlohmann::json shots = nlohmann::json::array();
  uint64_t differing = 0;
  for (const auto& name : taken_) {
    const fs::path actual = run_folder_ / "screens" / (name + ".png");
    const fs::path golden = config_.golden_dir / (name + ".png");
    nlohmann::json shot = {{"name", escape_text(name)},
                           {"actual", out_relative(run_folder_, actual)},
                           {"golden_source", golden.string()}};
    if (!fs::exists(golden)) {
      shot["status"] = "no golden";
      fail(fmt::format("screenshots: no golden {} for {}: check the screenshot and run `osharness "
                       "e2e bless <output folder>`",
                       golden.string(), escape_text(name)),
           "FAIL screenshot " + escape_text(name) + " no golden");
      shots.push_back(std::move(shot));
      continue;
    }
    // An unreadable golden or screenshot says nothing about the guest: INFRA_ERROR, not FAIL.
    try {
      const Image expected = read_png(golden);
      const Comparison c =
          compare_images(expected, read_png(actual), config_.tolerance, config_.masks_for(name));
      const fs::path golden_copy = run_folder_ / "screens" / (name + ".golden.png");
      fs::copy_file(golden, golden_copy, fs::copy_options::overwrite_existing);
      shot["golden"] = out_relative(run_folder_, golden_copy);
      shot["differing_pixels"] = c.differing;
      shot["max_delta"] = c.max_delta;
      if (c.same_size) {
        const fs::path diff = run_folder_ / "screens" / (name + ".diff.png");
        write_png(c.diff, diff);
        shot["diff"] = out_relative(run_folder_, diff);
      }
      const bool same = c.same_size && c.differing == 0;
      shot["status"] = same ? "same" : "differs";
      differing += c.same_size ? c.differing : 1;
      if (!same) {
        fail(fmt::format("screenshots: {} differs from its golden: {} (tolerance {}; diff {})",
                         escape_text(name), c.describe(), config_.tolerance,
                         shot.value("diff", std::string("none"))),
             "FAIL screenshot " + escape_text(name) + " differs");
      }
    } catch (const std::exception& e) {
      shot["status"] = "not compared";
      result.findings.push_back(
          {campaign::Verdict::InfraError,
           "screenshots: cannot compare " + escape_text(name) + ": " + e.what(),
           "INFRA_ERROR screenshot " + escape_text(name) + " unreadable"});
    }
    shots.push_back(std::move(shot));
  }
  result.metrics["screenshots.taken"] = static_cast<double>(taken_.size());
  result.metrics["screenshots.differing_pixels"] = static_cast<double>(differing);
  result.analysis["screenshots"] = {{"tolerance", config_.tolerance}, {"shots", std::move(shots)}};
}

campaign::RunHookInfo screenshot_hook_info() {
  return {"screenshots",
          "Takes the screenshots the guest asks for and compares them with goldens "
          "(docs/e2e.md)",
          {{"screenshots.taken", "", campaign::MetricInfo::Better::Neither,
            "screenshots taken at the guest's request"},
           {"screenshots.differing_pixels", "", campaign::MetricInfo::Better::Lower,
            "pixels beyond the tolerance outside masks, over every screenshot"}},
          [](const nlohmann::json& section, const std::string& origin, double) {
            return std::shared_ptr<const campaign::HookConfig>(
                parse_screenshot_config(section, origin));
          },
          [](const campaign::HookConfig& config, const campaign::HookSetup& setup) {
            return std::make_unique<ScreenshotHook>(static_cast<const ScreenshotConfig&>(config),
                                                    setup.run_folder);
          }};
}

}  // namespace osh::e2e
