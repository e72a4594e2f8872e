/* Static data in the common sections and a global function in .text:
 * linked before another object, it moves that object's parts of .text,
 * .data, .rodata, .rodata.str1.1 and .bss, so the linker tests can check
 * that every reference of the other object still reaches its own bytes. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static volatile char pad_data[3] = { 1, 2, 3 };
static volatile __u32 pad_bss[3];
static const volatile char pad_ro[5] = "abcd";

__attribute__((noinline)) int link_pad_fn(int i)
{
	bpf_printk("pad %d", i);
	bpf_trace_printk("pad\n", 5);
	pad_bss[i & 1] = pad_data[i & 1] + pad_ro[i & 3];
	return pad_bss[0];
}
