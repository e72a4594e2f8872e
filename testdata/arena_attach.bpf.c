/* Programs for every kind of auto-attach, each counting its hits in the
 * arena through an arena pointer. */
#include "bpfskel_arena.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 4);
} arena SEC(".maps");

enum { KPROBE, KRETPROBE, TP_BTF, RAW_TP_LONG, RAW_TP, TRACEPOINT, UPROBE, URETPROBE, NHITS };

__u64 __arena_global hits[NHITS];
/* Only count calls from this process (tgid), or for uprobes from the
 * process uprobe_tgid. */
__u32 tgid;
__u32 uprobe_tgid;

static __always_inline void hit(int i)
{
	__u64 __arena *h;
	__u32 want = i >= UPROBE ? uprobe_tgid : tgid;

	if ((bpf_get_current_pid_tgid() >> 32) != want)
		return;
	h = &hits[i & 7];
	__sync_fetch_and_add(h, 1);
}

#ifdef WITH_KPROBES
SEC("kprobe/__x64_sys_getppid")
int on_kprobe(void *ctx) { hit(KPROBE); return 0; }

SEC("kretprobe/__x64_sys_getppid")
int on_kretprobe(void *ctx) { hit(KRETPROBE); return 0; }
#endif

/* fentry/fexit load with EPERM on the test kernel (no trampolines there),
 * so the BTF-attached kind tested is tp_btf. */
SEC("tp_btf/sys_enter")
int on_tp_btf(void *ctx) { hit(TP_BTF); return 0; }

SEC("raw_tracepoint/sys_exit")
int on_raw_tp_long(void *ctx) { hit(RAW_TP_LONG); return 0; }

SEC("raw_tp/sys_enter")
int on_raw_tp(void *ctx) { hit(RAW_TP); return 0; }

SEC("tracepoint/syscalls/sys_enter_getppid")
int on_tracepoint(void *ctx) { hit(TRACEPOINT); return 0; }

SEC("uprobe//lib/x86_64-linux-gnu/libc.so.6:__cxa_atexit")
int on_uprobe(void *ctx) { hit(UPROBE); return 0; }

SEC("uretprobe//lib/x86_64-linux-gnu/libc.so.6:__cxa_atexit")
int on_uretprobe(void *ctx) { hit(URETPROBE); return 0; }

/* Not auto-attached. */
SEC("syscall")
int manual(void *ctx) { return 0; }

char _license[] SEC("license") = "GPL";
