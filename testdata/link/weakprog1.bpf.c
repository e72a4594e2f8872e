/* A weak program that weakprog2.bpf.c overrides, followed by a program
 * with CO-RE: after linking, the overridden program's code stays in
 * section syscall without a symbol (as with libbpf), before "other". */
#include "link_list.h"
#include <bpf/bpf_core_read.h>

struct task_struct {
	int tgid;
} __attribute__((preserve_access_index));

__weak SEC("syscall") int entry(void *ctx)
{
	return 1;
}

SEC("syscall") int other(void *ctx)
{
	return BPF_CORE_READ((struct task_struct *)bpf_get_current_task(), tgid);
}

char _license[] SEC("license") = "GPL";
