// Package corpus holds only tests: bpfskel against an external corpus, the
// compiled test objects cilium/ebpf ships in its module (testdata/*.elf).
// gen must generate a skeleton for every object cilium/ebpf can parse (and
// fail for the same reason on the others), every skeleton must build and
// vet, and on the running kernel the runtime must load exactly the objects
// cilium/ebpf loads, failing with the same cause on the others.
package corpus
