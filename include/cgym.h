/* SPDX-License-Identifier: MIT */
/*
 * cgym.h: the C ABI of libcgym, a CompilerGym service runtime and client.
 *
 * This is the only public header of libcgym.so. It compiles as C99 and as C++.
 *
 * Versioning: CGYM_VERSION_MAJOR/MINOR/PATCH give the version of this header;
 * cgym_version_number() and cgym_version_string() give the version of the library actually
 * loaded. The library's SONAME is libcgym.so.<CGYM_ABI_VERSION>; a program built against one
 * major version must not use a library of another.
 *
 * Only cgym_* symbols are exported from the library.
 *
 * This header grows with the C API (issue 5): status codes, values, spaces, the client and
 * sessions written in C will be declared here.
 */
#ifndef CGYM_H_
#define CGYM_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define CGYM_API
#else
#define CGYM_API __attribute__((visibility("default")))
#endif

#define CGYM_VERSION_MAJOR 0
#define CGYM_VERSION_MINOR 1
#define CGYM_VERSION_PATCH 0
/* The SONAME suffix: libcgym.so.CGYM_ABI_VERSION. */
#define CGYM_ABI_VERSION 0
/* MAJOR * 10000 + MINOR * 100 + PATCH, as returned by cgym_version_number(). */
#define CGYM_VERSION_NUMBER (CGYM_VERSION_MAJOR * 10000 + CGYM_VERSION_MINOR * 100 + CGYM_VERSION_PATCH)

/* The version of the loaded library as MAJOR * 10000 + MINOR * 100 + PATCH. Never fails. */
CGYM_API uint32_t cgym_version_number(void);

/* The version of the loaded library as "MAJOR.MINOR.PATCH". Never fails. The string is
 * static: the caller must not free it. */
CGYM_API const char *cgym_version_string(void);

/* The CompilerGym protocol version the library speaks ("0.2.5"), which a libcgym service
 * reports as its service_version. Never fails; static string, not to be freed. */
CGYM_API const char *cgym_protocol_version_string(void);

#ifdef __cplusplus
}
#endif

#endif /* CGYM_H_ */
