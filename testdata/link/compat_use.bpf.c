/* Declares compat_def.bpf.c's globals as a vmlinux.h-based file would. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

typedef _Bool bool;
typedef __u32 u32;

struct item {
	u32 weight;
	u32 flags;
};

extern bool is_heavy(struct item *it);
extern u32 limits[];
extern struct item first_item;

struct item items[4] = { { .weight = 1 }, { .weight = 20 }, { .weight = 30 }, { .weight = 5 } };

SEC("syscall")
int count_heavy(void *ctx)
{
	int n = 0;

	for (int i = 0; i < 4; i++)
		n += is_heavy(&items[i]);
	return n + limits[1] + first_item.weight; /* 2 + 100 + 4 */
}
