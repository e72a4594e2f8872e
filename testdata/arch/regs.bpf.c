/*
 * regs: a probe that reads struct pt_regs with BPF_CORE_READ, for the
 * per-GOARCH tests of bpfskel gen -target amd64,arm64,s390x. pt_regs
 * differs between architectures, and so do the Go types of the global
 * that keeps a copy of it; struct config does not, and is declared once.
 * Not built by make testdata (no architecture
 * there): the tests compile it for each target.
 */
#include "../include/arch_vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct sample {
	__u64 parm1;
	__u64 ip;
	struct pt_regs regs;
};

/* The same on every architecture: its declaration is shared. */
struct config {
	__u32 pid;
	__u32 flags;
};

struct sample last;
__u64 hits;
struct config cfg = { 1, 2 };

SEC("kprobe/do_sys_openat2")
int probe(struct pt_regs *ctx)
{
	last.parm1 = ARCH_PARM1(ctx);
	last.ip = ARCH_IP(ctx);
	bpf_probe_read_kernel(&last.regs, sizeof(last.regs), ctx);
	if (cfg.flags)
		__sync_fetch_and_add(&hits, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
