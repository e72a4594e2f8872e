/*
 * ksyms: __ksym variables as libbpf takes them. runqueues is typed (a
 * per-CPU kernel variable, loaded by BTF id), __start_rodata is
 * `const void` (an address from /proc/kallsyms), and a weak typed one the
 * kernel lacks loads as 0. cilium/ebpf v0.22 reads only untyped `void`.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct rq {
	int cpu;
} __attribute__((preserve_access_index));

extern const struct rq runqueues __ksym;
extern const void __start_rodata __ksym;
extern const struct rq bpfskel_no_such_var __ksym __weak;

__u64 rq_cpu = 99;
__u64 rodata_addr;
__u64 missing_addr = 1;

SEC("syscall")
int read_ksyms(void *ctx)
{
	rodata_addr = (__u64)&__start_rodata;
	missing_addr = (__u64)&bpfskel_no_such_var;
	return 0;
}

/* The kernel resolves a typed ksym's address through kallsyms: it loads
 * only on kernels whose kallsyms lists variables (CONFIG_KALLSYMS_ALL). */
SEC("syscall")
int read_rq(void *ctx)
{
	struct rq *rq = bpf_per_cpu_ptr(&runqueues, 0);

	if (rq)
		rq_cpu = rq->cpu;
	return 0;
}

char _license[] SEC("license") = "GPL";
