/* CO-RE relocations, kconfig externs and a kfunc in a program that also
 * uses arena pointers (so the runtime, not cilium/ebpf, loads it). */
#include "bpfskel_arena.h"
#include <bpf/bpf_core_read.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 4);
} arena SEC(".maps");

/* Only what is read, with CO-RE: offsets come from the running kernel. */
struct task_struct {
	int pid;
	int tgid;
} __attribute__((preserve_access_index));

/* An untyped ksym (this kernel lists only text symbols in kallsyms). */
extern void bpf_fentry_test1 __ksym;
extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern _Bool CONFIG_BPF_SYSCALL __kconfig;
extern int CONFIG_HZ __kconfig; /* cilium/ebpf rejects weak kconfig externs */

struct out {
	__u64 tgid;
	__u64 kernel_version;
	__u64 bpf_syscall;
	__u64 hz;
	__u64 tgid_exists;
	__u64 ksym_addr;
};

struct out __arena *__arena_global result;

SEC("syscall")
int core(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct out __arena *o = result;

	if (!o) {
		o = bpf_arena_alloc_pages(&arena, NULL, 1, NUMA_NO_NODE, 0);
		if (!o)
			return 1;
		result = o;
	}
	o->tgid = BPF_CORE_READ(t, tgid);
	o->tgid_exists = bpf_core_field_exists(t->tgid);
	o->kernel_version = LINUX_KERNEL_VERSION;
	o->bpf_syscall = CONFIG_BPF_SYSCALL;
	o->hz = CONFIG_HZ;
	o->ksym_addr = (__u64)&bpf_fentry_test1;
	return 0;
}

char _license[] SEC("license") = "GPL";
