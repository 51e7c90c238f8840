#pragma once
// A VM backend as the harness knows it: a name (`guest.backend` in specs, `--backend`), a
// reader for its own block of the spec's guest object, and a constructor. The composition root
// (plugins/) registers the backends it is built with; campaigns look them up by name.
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/base/json_reader.h"
#include "harness/vm/vm.h"

namespace osh::vm {

// A backend's own settings, read from the spec. to_json() writes them back (journals, bundles)
// as the fields of the spec's guest object they came from: {"qemu": {...}}.
class BackendOptions {
 public:
  virtual ~BackendOptions() = default;
  virtual nlohmann::json to_json() const = 0;
  // Where the VM runs when that is beyond this host's own QEMU ("another host through libvirt at
  // qemu+ssh://..."), one phrase each; `osharness repro` needs --trust for any (docs/trust.md).
  virtual std::vector<std::string> host_access() const { return {}; }
};

struct VmBackend {
  std::string name;
  std::string description;
  // Reads the backend's settings from the spec's guest object (its own block, such as
  // guest.qemu, and any older field it still accepts, with a line in `warnings`). Throws
  // osh::InputError naming the field.
  std::function<std::shared_ptr<const BackendOptions>(JsonReader& guest,
                                                      std::vector<std::string>& warnings)>
      parse;
  // `options` is what parse() returned.
  std::function<std::unique_ptr<Vm>(const VmConfig& config, const BackendOptions& options)> make;
};

}  // namespace osh::vm
