// marker_catalog_gen <schema.json> <header.h>: the build step that writes the kernel's marker
// list (os/tools/marker_catalog_gen.h says why the schema is the source).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "harness/base/atomic_write.h"
#include "os/tools/marker_catalog_gen.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: marker_catalog_gen <schema.json> <header.h>\n";
    return 64;
  }
  try {
    const std::string header =
        rayos::tools::marker_catalog_header(osh::marker::Schema::load(argv[1]));
    const std::filesystem::path out = argv[2];
    std::ostringstream old;
    old << std::ifstream(out, std::ios::binary).rdbuf();
    // An unchanged header keeps its time stamp, so an edited description or unit rebuilds
    // nothing (ninja re-checks the output's time after a custom command).
    if (old.str() == header) return 0;
    std::filesystem::create_directories(out.parent_path());
    osh::atomic_write(out, header);
  } catch (const std::exception& e) {
    std::cerr << "marker_catalog_gen: " << e.what() << '\n';
    return 65;
  }
  return 0;
}
