/* many_b: one of three objects with the same struct, enum, map, global
 * and program names (many_common.h), generated into one Go package. */
#include "many_common.h"

SEC("syscall")
int run(void *ctx)
{
	return record(2, KIND_B, 200);
}

char LICENSE[] SEC("license") = "GPL";
