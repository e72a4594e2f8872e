/* Globals that compat_use.bpf.c declares with other spellings of the same
 * C types, as sched_ext's scx_lavd does (its util.bpf.c includes
 * <stdbool.h>, its main.bpf.c has vmlinux.h's typedef _Bool bool): here
 * bool is the macro for _Bool, __u32 the integer type; compat_use.bpf.c
 * has typedefs, no const and an array of unknown length. libbpf's linker
 * takes them, and so must ours. */
#include <stdbool.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct item {
	__u32 weight;
	__u32 flags;
};

__u32 limits[2] = { 10, 100 };
struct item first_item = { .weight = 4 };

__hidden bool is_heavy(const struct item *it)
{
	return it && it->weight > limits[0];
}

char _license[] SEC("license") = "GPL";
