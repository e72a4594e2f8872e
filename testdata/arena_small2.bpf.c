/* A 2-page arena: Go's allocator must serve arenas of any size. */
#include "bpfskel_arena.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 2);
} arena SEC(".maps");

#include "arena_small_body.h"
