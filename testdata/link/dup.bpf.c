/* A second strong list_transform: linking it with b.bpf.o must fail. */
#include "link_list.h"

__u64 list_transform(__u64 value)
{
	return value + 1;
}
