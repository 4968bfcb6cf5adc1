/* rustc's LLVM instruments Rust's memory copies as calls to __tsan_memcpy, __tsan_memmove and
 * __tsan_memset, which GCC 12's libtsan (Debian 12) does not define yet. Linked into a C program
 * built with gcc -fsanitize=thread that loads our instrumented library (scripts/tsan), they
 * forward to libc's functions, which libtsan intercepts and checks the same way. */
#include <string.h>

void *__tsan_memcpy(void *dst, const void *src, size_t n)
{
	return memcpy(dst, src, n);
}

void *__tsan_memmove(void *dst, const void *src, size_t n)
{
	return memmove(dst, src, n);
}

void *__tsan_memset(void *dst, int c, size_t n)
{
	return memset(dst, c, n);
}
