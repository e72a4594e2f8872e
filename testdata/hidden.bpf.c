/*
 * hidden: a global function with hidden visibility (libbpf's __hidden, as
 * usdt.bpf.h's bpf_usdt_arg and sched_ext's helpers use it) is verified
 * with its caller, as libbpf has the kernel do: its BTF linkage becomes
 * static. Verified on its own, as a global function is, fill's pointer
 * argument could be NULL and the store through it would be rejected.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 result;

__attribute__((visibility("hidden"))) __noinline int fill(long *res)
{
	*res = 42;
	return 0;
}

/* A hidden function that is also weak: the same. */
__attribute__((visibility("hidden"))) __weak __noinline int add(long *res, long v)
{
	*res += v;
	return 0;
}

SEC("syscall")
int run(void *ctx)
{
	long v = 0;

	fill(&v);
	add(&v, 8);
	result = v;
	return 0;
}

char _license[] SEC("license") = "GPL";
