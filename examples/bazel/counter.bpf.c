//go:build ignore

/*
 * counter: the BPF object that examples/bazel turns into a Go skeleton at
 * build time. A syscall program adds step to total and counts its runs.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* What each run adds to total; set it in the spec before loading. */
volatile const __u64 step = 1;

/* The running total. */
__u64 total;

/* How many times bump ran. */
__u64 runs;

SEC("syscall")
int bump(void *ctx)
{
	total += step;
	runs++;
	return 0;
}

char _license[] SEC("license") = "GPL";
