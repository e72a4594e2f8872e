/*
 * A program with one USDT probe, bpfskel:hit, for runtime's USDT test.
 * The probe's note (.note.stapsdt, in the SystemTap SDT format: the
 * probe's address, the base address, the semaphore's, then provider, name
 * and the arguments as SIZE@OPERAND) is written here by hand, so the test
 * needs no sys/sdt.h. Its arguments: a 4-byte register (42 when run
 * without arguments), 8 bytes of memory (77) and the constant -5.
 */
int main(int argc, char **argv)
{
	volatile long mem = 77;
	int reg = argc + 41;

	(void)argv;
	__asm__ __volatile__(
		"990: nop\n"
		".pushsection .note.stapsdt,\"\",\"note\"\n"
		".balign 4\n"
		".4byte 992f-991f, 994f-993f, 3\n"
		"991: .asciz \"stapsdt\"\n"
		"992: .balign 4\n"
		"993: .8byte 990b\n"
		".8byte _.stapsdt.base\n"
		".8byte 0\n"
		".asciz \"bpfskel\"\n"
		".asciz \"hit\"\n"
		".asciz \"-4@%0 8@%1 -4@$-5\"\n"
		"994: .balign 4\n"
		".popsection\n"
		".pushsection .stapsdt.base,\"aG\",\"progbits\",.stapsdt.base,comdat\n"
		".weak _.stapsdt.base\n"
		".hidden _.stapsdt.base\n"
		"_.stapsdt.base: .space 1\n"
		".size _.stapsdt.base, 1\n"
		".popsection\n"
		:
		: "r"(reg), "m"(mem));
	return 0;
}
