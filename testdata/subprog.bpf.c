/*
 * subprog: functions in sections that name no program type, called by
 * programs: callees, not programs (cilium/ebpf's loader.c does the same).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 result;

static __attribute__((noinline)) __u64 SEC("static") twice(__u64 x)
{
	return x * 2;
}

__attribute__((noinline)) __u64 SEC("other") plus_one(__u64 x)
{
	return x + 1;
}

SEC("syscall")
int compute(void *ctx)
{
	result = plus_one(twice(20));
	return 0;
}

SEC("syscall")
int compute_again(void *ctx)
{
	result += plus_one(1);
	return 0;
}

char _license[] SEC("license") = "GPL";
