/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Text from outside (container names, annotations, gadget descriptors, file
 * contents) made safe for a terminal (internal). Everything ig writes to a
 * terminal or a log passes through here: no escape sequence a container or a
 * file put in a name can move the cursor, retitle the window or answer back.
 */
#ifndef IG_CORE_BASE_TEXT_H
#define IG_CORE_BASE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Keep '\n' and '\t' as they are (multi-line text such as libbpf's logs);
 * otherwise they are escaped like every other control character. */
#define IG_TEXT_KEEP_NL	(1u << 0)

/*
 * Copy n bytes of s into dst (size bytes, always NUL-terminated when size >
 * 0), keeping printable ASCII and valid UTF-8 and writing everything else as
 * a visible escape: C0 controls, DEL, the C1 controls U+0080..U+009F (which
 * some terminals obey as escapes too) and bytes that are not UTF-8 become
 * "\xNN" per byte ("\n", "\t" for those two). A NUL in s is escaped too: n,
 * not the NUL, ends the text. Output that does not fit is cut at a character
 * boundary. Returns the length written.
 */
size_t ig_text__sanitize(char *dst, size_t size, const char *s, size_t n, unsigned int flags);

/* True when s (n bytes) would be copied unchanged. */
bool ig_text__is_clean(const char *s, size_t n, unsigned int flags);

#endif /* IG_CORE_BASE_TEXT_H */
