/*
 * Type recovery: the types of dwarf_types.h reached only through a pointer
 * member, so BTF forward-declares struct layout_all and omits everything it
 * contains; the DWARF has them all complete.
 */
#include "bpfskel_arena.h"
#include "dwarf_types.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 16);
} arena SEC(".maps");

/* A global pointer would pull its target into BTF; a member does not. */
struct layout_ref {
	struct layout_all __arena *all;
};

struct layout_ref ref;

SEC("syscall")
int fill(void *ctx)
{
	layout_all_t __arena *a;

	a = bpf_arena_alloc_pages(&arena, NULL, 4, NUMA_NO_NODE, 0);
	if (!a)
		return 1;
	a->bits.c = 5;
	a->enums.s64 = S64_NEG;
	ref.all = a;
	return 0;
}

char _license[] SEC("license") = "GPL";
