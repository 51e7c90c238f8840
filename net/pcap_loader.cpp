// libpcap's functions, loaded the first time one is called (harness/base/lazy_library.h): linking
// libpcap pulled D-Bus, systemd, libgcrypt and 7 more libraries into every osharness process, 9
// ms of CPU to start one (a hello world with and without -lpcap, perf stat -r 30, load 6). Each
// function here has the name and the signature <pcap/pcap.h> declares, so callers are unchanged.
#include <pcap/pcap.h>

#include "harness/base/lazy_library.h"

namespace {

#define OSH_PCAP_FUNCTIONS(X)  \
  X(pcap_close)                \
  X(pcap_compile)              \
  X(pcap_datalink)             \
  X(pcap_datalink_val_to_name) \
  X(pcap_dump)                 \
  X(pcap_dump_close)           \
  X(pcap_dump_open)            \
  X(pcap_file)                 \
  X(pcap_freecode)             \
  X(pcap_geterr)               \
  X(pcap_next_ex)              \
  X(pcap_offline_filter)       \
  X(pcap_open_dead)            \
  X(pcap_open_offline)
OSH_LAZY_LIBRARY(api, "libpcap.so.0.8", "network captures need it: scripts/setup installs libpcap",
                 OSH_PCAP_FUNCTIONS)

}  // namespace

// The definitions <pcap/pcap.h> declares, each forwarding to the loaded function.
extern "C" {
void pcap_close(pcap_t* p) { api().pcap_close(p); }
int pcap_compile(pcap_t* p, struct bpf_program* program, const char* text, int optimize,
                 bpf_u_int32 netmask) {
  return api().pcap_compile(p, program, text, optimize, netmask);
}
int pcap_datalink(pcap_t* p) { return api().pcap_datalink(p); }
const char* pcap_datalink_val_to_name(int link_type) {
  return api().pcap_datalink_val_to_name(link_type);
}
void pcap_dump(u_char* user, const struct pcap_pkthdr* header, const u_char* bytes) {
  api().pcap_dump(user, header, bytes);
}
void pcap_dump_close(pcap_dumper_t* dumper) { api().pcap_dump_close(dumper); }
pcap_dumper_t* pcap_dump_open(pcap_t* p, const char* path) { return api().pcap_dump_open(p, path); }
FILE* pcap_file(pcap_t* p) { return api().pcap_file(p); }
void pcap_freecode(struct bpf_program* program) { api().pcap_freecode(program); }
char* pcap_geterr(pcap_t* p) { return api().pcap_geterr(p); }
int pcap_next_ex(pcap_t* p, struct pcap_pkthdr** header, const u_char** bytes) {
  return api().pcap_next_ex(p, header, bytes);
}
int pcap_offline_filter(const struct bpf_program* program, const struct pcap_pkthdr* header,
                        const u_char* bytes) {
  return api().pcap_offline_filter(program, header, bytes);
}
pcap_t* pcap_open_dead(int link_type, int snaplen) {
  return api().pcap_open_dead(link_type, snaplen);
}
pcap_t* pcap_open_offline(const char* path, char* errbuf) {
  return api().pcap_open_offline(path, errbuf);
}
}
