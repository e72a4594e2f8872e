/* Declares the library's arena map, weakly, with another size: linking it
 * with lib.bpf.o must fail, as with libbpf. */
#include "link_list.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 128);
} arena SEC(".maps") __weak;

SEC("syscall")
int use_arena(void *ctx)
{
	return bpf_arena_alloc_pages(&arena, NULL, 1, NUMA_NO_NODE, 0) != NULL;
}
