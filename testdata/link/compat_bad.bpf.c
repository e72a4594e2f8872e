/* Declares compat_def.bpf.c's is_heavy with one parameter too many: the
 * two do not link. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct item;

extern _Bool is_heavy(struct item *it, int min);

SEC("syscall")
int use_bad(void *ctx)
{
	return is_heavy(0, 1);
}
