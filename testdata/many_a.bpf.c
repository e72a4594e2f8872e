/* many_a: one of three objects with the same struct, enum, map, global
 * and program names (many_common.h), generated into one Go package. */
#include "many_common.h"

SEC("syscall")
int run(void *ctx)
{
	return record(1, KIND_A, 100);
}

char LICENSE[] SEC("license") = "GPL";
