// Clang's thread-safety annotations for the server's shared state. With
// clang, -Wthread-safety checks them (the thread_safety_test runs it over
// server/); with GCC they expand to nothing and still say which mutex
// protects what. Only a type annotated as a capability can be named in them:
// use server/mutex.h's Mutex, not std::mutex (libstdc++ does not annotate it,
// so clang would check nothing).
#pragma once

#if defined(__clang__)
#define FINDLING_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define FINDLING_THREAD_ANNOTATION(x)
#endif

// On a class: instances are locks ("mutex").
#define FINDLING_CAPABILITY(x) FINDLING_THREAD_ANNOTATION(capability(x))
// On a class: an RAII object that holds a capability for its lifetime.
#define FINDLING_SCOPED_CAPABILITY FINDLING_THREAD_ANNOTATION(scoped_lockable)
// On a member: read or written only with `x` held.
#define FINDLING_GUARDED_BY(x) FINDLING_THREAD_ANNOTATION(guarded_by(x))
// On a function: takes / releases the capability (or `this` without arguments).
#define FINDLING_ACQUIRE(...) FINDLING_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define FINDLING_RELEASE(...) FINDLING_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
// On a function: its caller must hold / must not hold the capability.
#define FINDLING_REQUIRES(...) FINDLING_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define FINDLING_EXCLUDES(...) FINDLING_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
