/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the gadget ABI (ig/gadget.h) and the runtime-plugin ABI (ig/plugin.h)
 * share: log levels, the export marker, IG_ARRAY_SIZE, and the log macros a
 * gadget or a plugin calls with the host struct it got in init().
 *
 * Nothing here has a size or a layout: including it changes no ABI.
 */
#ifndef IG_COMMON_H
#define IG_COMMON_H

#ifdef __cplusplus
extern "C" {
#endif

/* Marks the one symbol a gadget or plugin exports (its entry point); build
 * with -fvisibility=hidden so that everything else stays private. */
#define IG_EXPORT		__attribute__((visibility("default")))

#define IG_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Log levels for host->log. ERROR and WARN always print; INFO with -v,
 * DEBUG with -vv. The host prefixes the gadget's or plugin's name. */
enum ig_log_level {
	IG_LOG_ERROR = 0,
	IG_LOG_WARN,
	IG_LOG_INFO,
	IG_LOG_DEBUG,
};

/*
 * One log line through the host: h is the const struct ig_host * (gadgets)
 * or const struct ig_plugin_host * (plugins) handed to init(); both carry
 * log and ctx. printf-style, no trailing newline needed:
 *     IG_ERROR(host, "cannot open %s: %s", path, strerror(errno));
 */
#define IG_LOG(h, level, ...)	((h)->log((h)->ctx, (level), __VA_ARGS__))
#define IG_ERROR(h, ...)	IG_LOG(h, IG_LOG_ERROR, __VA_ARGS__)
#define IG_WARN(h, ...)		IG_LOG(h, IG_LOG_WARN, __VA_ARGS__)
#define IG_INFO(h, ...)		IG_LOG(h, IG_LOG_INFO, __VA_ARGS__)
#define IG_DEBUG(h, ...)	IG_LOG(h, IG_LOG_DEBUG, __VA_ARGS__)

#ifdef __cplusplus
}
#endif

#endif /* IG_COMMON_H */
