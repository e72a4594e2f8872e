/*
 * structops_cc: a BPF TCP congestion control registered through a
 * .struct_ops.link map. Its callbacks count how often the kernel calls
 * them; the runtime's struct_ops test uses it on a loopback connection.
 */
#include "structops_body.h"

SEC(".struct_ops.link")
struct tcp_congestion_ops skel_cc = {
	CC_OPS("bpfskel_cc"),
};
