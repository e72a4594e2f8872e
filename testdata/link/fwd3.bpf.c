/* See fwd1.bpf.c. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct mid;
struct ring_a;

struct ring_b {
	struct ring_a *a;
	int y;
};

int take(struct mid *p);

struct ring_b rz = { .y = 4 };
__u32 zbuf[4] = { 0, 0, 7, 0 }; /* a struct mid whose m is 7 */

SEC("syscall")
int prog_z(void *ctx)
{
	return take((struct mid *)zbuf) + rz.y;
}
