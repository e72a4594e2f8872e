package runtime

import "testing"

func TestParseUSDTArgs(t *testing.T) {
	spec, err := parseUSDTArgs("-4@%edi 8@-8(%rsp) -4@$-5 1@(%rax) 2@%r9w 8@%rip")
	if err != nil {
		t.Fatal(err)
	}
	want := []usdtArgSpec{
		{ArgType: usdtArgReg, RegOff: 112, Signed: true, BitShift: 32},
		{ArgType: usdtArgRegDeref, RegOff: 152, ValOff: ^uint64(7), BitShift: 0},
		{ArgType: usdtArgConst, ValOff: ^uint64(4), Signed: true, BitShift: 32},
		{ArgType: usdtArgRegDeref, RegOff: 80, BitShift: 56},
		{ArgType: usdtArgReg, RegOff: 64, BitShift: 48},
		{ArgType: usdtArgReg, RegOff: 128, BitShift: 0},
	}
	if int(spec.ArgCnt) != len(want) {
		t.Fatalf("%d arguments, want %d", spec.ArgCnt, len(want))
	}
	for i, w := range want {
		if spec.Args[i] != w {
			t.Errorf("argument %d = %+v, want %+v", i, spec.Args[i], w)
		}
	}
	if usdtSpecSize != 208 {
		t.Errorf("struct __bpf_usdt_spec is %d bytes, want usdt.bpf.h's 208", usdtSpecSize)
	}
	for _, bad := range []string{"4", "0@%eax", "16@%eax", "4@%xmm0", "4@$x", "4@8(%rax,%rbx,2)", "4@(rax)", "4@foo",
		"1@$1 1@$1 1@$1 1@$1 1@$1 1@$1 1@$1 1@$1 1@$1 1@$1 1@$1 1@$1 1@$1"} {
		if _, err := parseUSDTArgs(bad); err == nil {
			t.Errorf("parseUSDTArgs(%q) succeeded", bad)
		}
	}
}
