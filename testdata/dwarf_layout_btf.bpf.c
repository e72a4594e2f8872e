/*
 * Type recovery reference: the types of dwarf_types.h reached from globals,
 * so clang writes every one of them complete into BTF. Tests compare what
 * DWARF gives for them (here and in dwarf_layout.bpf.c) with this BTF.
 */
#include "bpfskel_arena.h"
#include "dwarf_types.h"

layout_all_t all_btf;
struct tree tree_btf;
struct flex flex_btf;

SEC("syscall")
int touch(void *ctx)
{
	all_btf.bits.a = 1;
	tree_btf.parent = &tree_btf;
	flex_btf.n = 2;
	return 0;
}

char _license[] SEC("license") = "GPL";
