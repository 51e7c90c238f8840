#include "harness/vm/libvirt/libvirt_options.h"

#include "harness/base/escape.h"
#include "harness/vm/libvirt/connection.h"

namespace osh::vm::libvirt {

nlohmann::json LibvirtOptions::to_json() const {
  nlohmann::json j = qemu.to_json();
  j["libvirt"] = {{"uri", uri}};
  return j;
}

std::vector<std::string> LibvirtOptions::host_access() const {
  if (is_local_uri(uri)) return {};
  return {"starts the VM on another host, through libvirt at " + quoted_text(uri) +
          " (guest.libvirt.uri)"};
}

LibvirtOptions parse_libvirt_options(JsonReader& guest, std::vector<std::string>& warnings) {
  LibvirtOptions o;
  o.qemu = qemu::parse_qemu_options(guest, warnings);
  if (auto l = guest.object("libvirt")) {
    o.uri = l->string("uri").value_or(o.uri);
    // libvirt parses the URI itself when it connects; only what can never connect is refused
    // here, while the spec is read.
    if (o.uri.find("://") == std::string::npos)
      l->fail("uri", "\"" + o.uri + "\" is not a libvirt URI; write e.g. qemu:///system");
    l->reject_unknown();
  }
  return o;
}

}  // namespace osh::vm::libvirt
