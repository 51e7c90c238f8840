# The guest (rayos) is built by the same compiler as the host, as a freestanding x86_64 ELF.
# Its flags live on an interface target so that the host's sanitizer and warning settings never
# reach it, and so that os/core can be compiled a second time, hosted, for GoogleTest.
add_library(osh_guest_options INTERFACE)
target_compile_options(osh_guest_options INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-fno-exceptions -fno-rtti -fno-threadsafe-statics -fno-use-cxa-atexit>
  -ffreestanding -fno-stack-protector -fno-pic -fno-pie -fno-omit-frame-pointer
  -mno-omit-leaf-frame-pointer
  -mno-red-zone -mgeneral-regs-only -mcmodel=kernel -fno-asynchronous-unwind-tables
  $<$<COMPILE_LANGUAGE:CXX>:-nostdinc++> -Wall -Wextra -Werror -Wno-missing-field-initializers)
target_compile_definitions(osh_guest_options INTERFACE RAYOS_FREESTANDING=1)
target_link_options(osh_guest_options INTERFACE
  -nostdlib -static $<$<CXX_COMPILER_ID:GNU>:-no-pie> -Wl,--no-dynamic-linker
  -Wl,-z,max-page-size=0x1000
  -Wl,--build-id=none)
