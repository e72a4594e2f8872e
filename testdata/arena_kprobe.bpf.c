/* arena_attach.bpf.c with kprobes, which some kernels lack (CONFIG_KPROBES). */
#define WITH_KPROBES
#include "arena_attach.bpf.c"
