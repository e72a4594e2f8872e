/* A 4 GiB arena (the largest). */
#include "bpfskel_arena.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1 << 20);
} arena SEC(".maps");

#include "arena_variant_body.h"
