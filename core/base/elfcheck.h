/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Is a file a shared object that dlopen() can map without faulting
 * (internal)? dlopen() trusts the ELF program headers: a gadget or plugin cut
 * short (a copy interrupted, a full disk) has segments that reach past the
 * end of the file, and touching them kills ig with SIGBUS before any check
 * of ours runs. So before dlopen(), the header and every segment are checked
 * against the file's size: one clear refusal instead of a "Bus error".
 */
#ifndef IG_CORE_BASE_ELFCHECK_H
#define IG_CORE_BASE_ELFCHECK_H

#include <stddef.h>
#include <stdint.h>

/* The most program headers a module may have (ours have about ten). */
#define IG_ELF_MAX_PHDRS	64

/*
 * head: the first len bytes of a file of file_size bytes (len covers the ELF
 * header and the program headers, or the file is refused). 0 when it is a
 * shared object for this machine whose loadable segments all lie within the
 * file; -ENOEXEC with a reason in why ("truncated: a segment ends at byte
 * 2134016, the file has 6000") otherwise.
 */
int ig_elf__check(const void *head, size_t len, uint64_t file_size, char *why, size_t whylen);

/* Read what ig_elf__check needs from fd (a regular file of file_size
 * bytes) and check it. 0, or -errno with why. */
int ig_elf__check_fd(int fd, uint64_t file_size, char *why, size_t whylen);

#endif /* IG_CORE_BASE_ELFCHECK_H */
