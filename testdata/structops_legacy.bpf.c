/*
 * structops_legacy: a BPF TCP congestion control registered through a
 * .struct_ops map (no link: writing its value at load registers it), the
 * older form cilium/ebpf v0.22 rejects. Its callbacks count how often the
 * kernel calls them, as in structops_cc.
 */
#include "structops_body.h"

SEC(".struct_ops")
struct tcp_congestion_ops skel_cc_old = {
	CC_OPS("bpfskel_cc_old"),
};
