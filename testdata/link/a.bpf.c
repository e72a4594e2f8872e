/* Program A: pushes 0..n-1 onto its own list with the library, and reads
 * the kconfig extern the library reads too (one extern after linking). */
#include "link_list.h"

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
__u32 a_kernel_version;

struct list __arena_global list_a;
static __u64 calls; /* B has a static of the same name */

static long push_one_a(__u32 i, void *ctx)
{
	return list_push(&list_a, i) ? 1 : 0;
}

SEC("syscall")
int push_a(struct push_args *args)
{
	bpf_loop(args->n, push_one_a, NULL, 0);
	calls++;
	a_kernel_version = LINUX_KERNEL_VERSION;
	return 0;
}

SEC("syscall")
int count_a(void *ctx)
{
	return calls;
}
