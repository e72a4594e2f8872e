/* An arena with BPF_F_NO_USER_CONV: pointers in arena memory hold 32 bits. */
#include "bpfskel_arena.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE | BPF_F_NO_USER_CONV);
	__uint(max_entries, 64);
} arena SEC(".maps");

#include "arena_variant_body.h"
