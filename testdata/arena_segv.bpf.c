/* An arena with BPF_F_SEGV_ON_FAULT: user space may only touch pages BPF (or the runtime's allocator) allocated. */
#include "bpfskel_arena.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE | BPF_F_SEGV_ON_FAULT);
	__uint(max_entries, 64);
} arena SEC(".maps");

#include "arena_variant_body.h"
