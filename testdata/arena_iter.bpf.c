/* A task iterator counting into the arena: a BTF-attached program kind that
 * needs the attach target's BTF id (bpf_iter_task). LSM and fentry programs
 * fail to load with EPERM on the test kernel, even as root. */
#include "bpfskel_arena.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 4);
} arena SEC(".maps");

__u64 __arena_global tasks;

struct task_struct;
struct bpf_iter_meta;
struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
} __attribute__((preserve_access_index));

SEC("iter/task")
int count_tasks(struct bpf_iter__task *ctx)
{
	__u64 __arena *t = &tasks;

	if (ctx->task)
		__sync_fetch_and_add(t, 1);
	return 0;
}

char _license[] SEC("license") = "GPL";
