/* names_b: names_a.bpf.c with an unrelated map, type, global and program. */
#define NAMES_EXTRA
#include "names_a.bpf.c"
