/*
 * usdt: a USDT probe handler written with libbpf's usdt.bpf.h. Attach
 * finds the probe bpfskel:hit in the binary the section names (a test
 * builds it there), gives each site an argument spec in __bpf_usdt_specs
 * and a uprobe whose cookie indexes it; bpf_usdt_arg reads the arguments
 * the probe describes: a register, memory at a frame offset and a
 * constant.
 */
#define __TARGET_ARCH_x86
#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/usdt.bpf.h>

struct hit {
	__s64 reg, mem, constant;
	__u64 args, hits;
};

struct hit last;

SEC("usdt//tmp/bpfskel-usdt-probe:bpfskel:hit")
int BPF_USDT(on_hit, int reg, long mem, int constant)
{
	last.reg = reg;
	last.mem = mem;
	last.constant = constant;
	last.args = bpf_usdt_arg_cnt(ctx);
	last.hits++;
	return 0;
}

char _license[] SEC("license") = "GPL";
