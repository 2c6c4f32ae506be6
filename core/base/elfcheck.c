// SPDX-License-Identifier: Apache-2.0
/* ELF checks before dlopen(); see elfcheck.h. */
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elfcheck.h"

#if defined(__x86_64__)
#define HOST_MACHINE	EM_X86_64
#elif defined(__aarch64__)
#define HOST_MACHINE	EM_AARCH64
#elif defined(__i386__)
#define HOST_MACHINE	EM_386
#else
#define HOST_MACHINE	EM_NONE		/* not checked */
#endif

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HOST_DATA	ELFDATA2LSB
#else
#define HOST_DATA	ELFDATA2MSB
#endif

#define HOST_CLASS	(sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32)

static int refuse(char *why, size_t whylen, const char *fmt, unsigned long long a,
		  unsigned long long b)
{
	snprintf(why, whylen, fmt, a, b);
	return -ENOEXEC;
}

static int check_header(const ElfW(Ehdr) *eh, char *why, size_t whylen)
{
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return refuse(why, whylen, "not an ELF shared object", 0, 0);
	if (eh->e_ident[EI_CLASS] != HOST_CLASS || eh->e_ident[EI_DATA] != HOST_DATA ||
	    (HOST_MACHINE != EM_NONE && eh->e_machine != HOST_MACHINE))
		return refuse(why, whylen, "an ELF file for another machine (e_machine %llu)",
			      eh->e_machine, 0);
	if (eh->e_type != ET_DYN)
		return refuse(why, whylen, "not a shared object (ELF type %llu)", eh->e_type, 0);
	if (eh->e_phentsize != sizeof(ElfW(Phdr)) || !eh->e_phnum ||
	    eh->e_phnum > IG_ELF_MAX_PHDRS)
		return refuse(why, whylen, "malformed ELF program headers (%llu of %llu bytes)",
			      eh->e_phnum, eh->e_phentsize);
	return 0;
}

int ig_elf__check(const void *head, size_t len, uint64_t file_size, char *why, size_t whylen)
{
	const ElfW(Ehdr) *eh = head;
	ElfW(Phdr) ph;
	uint64_t end;
	int err;

	if (len < sizeof(*eh) || file_size < sizeof(*eh))
		return refuse(why, whylen, "not an ELF shared object (%llu bytes)", file_size, 0);
	err = check_header(eh, why, whylen);
	if (err)
		return err;
	end = (uint64_t)eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(ph);
	if (eh->e_phoff > file_size || end > file_size || end > len)
		return refuse(why, whylen, "truncated: its program headers end at byte %llu, the "
			      "file has %llu", end, file_size);
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		memcpy(&ph, (const char *)head + eh->e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD && ph.p_type != PT_DYNAMIC && ph.p_type != PT_INTERP)
			continue;
		end = (uint64_t)ph.p_offset + ph.p_filesz;
		if (end < ph.p_offset || end > file_size)
			return refuse(why, whylen, "truncated: a segment ends at byte %llu, the "
				      "file has %llu", end, file_size);
		if (ph.p_type == PT_LOAD && ph.p_filesz > ph.p_memsz)
			return refuse(why, whylen, "malformed ELF segment (%llu bytes in the file, "
				      "%llu in memory)", ph.p_filesz, ph.p_memsz);
	}
	return 0;
}

int ig_elf__check_fd(int fd, uint64_t file_size, char *why, size_t whylen)
{
	/* Where the program headers are is in the header: read both, or at
	 * most what the largest legitimate table needs. */
	size_t want = sizeof(ElfW(Ehdr)), got = 0;
	char *buf = NULL, *tmp;
	ssize_t n;
	int err;

	for (int pass = 0; pass < 2; pass++) {
		tmp = realloc(buf, want);
		if (!tmp) {
			free(buf);
			snprintf(why, whylen, "out of memory");
			return -ENOMEM;
		}
		buf = tmp;
		while (got < want) {
			n = pread(fd, buf + got, want - got, (off_t)got);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			got += (size_t)n;
		}
		if (pass || got < sizeof(ElfW(Ehdr)) ||
		    memcmp(((ElfW(Ehdr) *)buf)->e_ident, ELFMAG, SELFMAG))
			break;
		/* Bounded: a header may claim anything. */
		if (((ElfW(Ehdr) *)buf)->e_phoff > 1u << 20)
			break;
		want = ((ElfW(Ehdr) *)buf)->e_phoff + IG_ELF_MAX_PHDRS * sizeof(ElfW(Phdr));
	}
	err = ig_elf__check(buf, got, file_size, why, whylen);
	free(buf);
	return err;
}
