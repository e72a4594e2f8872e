/*
 * weak: __weak definitions and externs with libbpf's semantics. A weak
 * map and a weak arena map are ordinary maps; weak kconfig and ksym
 * externs the kernel lacks read as 0; a weak kfunc the kernel lacks loads
 * behind bpf_ksym_exists(). Also every LINUX_* kconfig extern libbpf
 * provides, one through a typedef. Two programs read the same externs: one
 * loaded by cilium/ebpf, one (it uses the arena) by the runtime's own
 * loader.
 */
#include "bpfskel_arena.h"
#include "bpfskel_compat.h"

typedef unsigned int kernel_version_t;

extern kernel_version_t LINUX_KERNEL_VERSION __kconfig;
extern _Bool LINUX_HAS_BPF_COOKIE __kconfig;
extern _Bool LINUX_HAS_SYSCALL_WRAPPER __kconfig;
extern _Bool CONFIG_BPF_SYSCALL __kconfig;
extern int CONFIG_BPFSKEL_NO_SUCH_OPTION __kconfig __weak;
extern void bpfskel_no_such_ksym __ksym __weak;
extern void bpfskel_no_such_kfunc(void) __ksym __weak;

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 4);
} arena SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} weak_counts SEC(".maps") __weak;

struct result {
	__u64 kernel_version;
	__u64 has_cookie;
	__u64 has_syscall_wrapper;
	__u64 bpf_syscall;
	__u64 no_such_option;
	__u64 ksym_address;
	__u64 kfunc_exists;
	__u64 arena_value;
};

/* [0]: the plain program, [1]: the arena program. */
struct result results[2];

static __always_inline void read_externs(struct result *r)
{
	__u32 zero = 0;
	__u64 *n;

	r->kernel_version = LINUX_KERNEL_VERSION;
	r->has_cookie = LINUX_HAS_BPF_COOKIE;
	r->has_syscall_wrapper = LINUX_HAS_SYSCALL_WRAPPER;
	r->bpf_syscall = CONFIG_BPF_SYSCALL;
	r->no_such_option = CONFIG_BPFSKEL_NO_SUCH_OPTION + 1;
	r->ksym_address = (__u64)&bpfskel_no_such_ksym;
	r->kfunc_exists = bpf_ksym_exists(bpfskel_no_such_kfunc) + 1;
	if (bpf_ksym_exists(bpfskel_no_such_kfunc))
		bpfskel_no_such_kfunc();
	n = bpf_map_lookup_elem(&weak_counts, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
}

SEC("syscall")
int plain(void *ctx)
{
	read_externs(&results[0]);
	return 0;
}

SEC("syscall")
int in_arena(void *ctx)
{
	__u64 __arena *p;

	read_externs(&results[1]);
	p = bpf_arena_alloc_pages(&arena, NULL, 1, NUMA_NO_NODE, 0);
	if (!p)
		return 1;
	*p = 42;
	results[1].arena_value = *p;
	bpf_arena_free_pages(&arena, (void __arena *)p, 1);
	return 0;
}

char _license[] SEC("license") = "GPL";
