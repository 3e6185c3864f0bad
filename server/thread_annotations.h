// GUARDED_BY for the server's shared state: clang's -Wthread-safety checks it,
// with GCC it documents which mutex protects a member.
#pragma once

#if defined(__clang__)
#define FINDLING_GUARDED_BY(x) __attribute__((guarded_by(x)))
#else
#define FINDLING_GUARDED_BY(x)
#endif
