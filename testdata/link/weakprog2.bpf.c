/* The strong program that replaces weakprog1.bpf.c's weak one. */
#include "link_list.h"

SEC("syscall") int entry(void *ctx)
{
	return 2;
}
