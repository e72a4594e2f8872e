/* An arena mapped at a fixed user address (map_extra). */
#include "bpfskel_arena.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 64);
	__ulong(map_extra, 0x100000000000ull); /* 1 << 44 */
} arena SEC(".maps");

#include "arena_variant_body.h"
