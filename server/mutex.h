// Mutex, MutexLock and CondVar: std::mutex and std::condition_variable with
// clang's thread-safety annotations, so that FINDLING_GUARDED_BY(mu_) is
// checked (server/thread_annotations.h). The same costs as the std types they
// wrap. Not copyable or movable.
#pragma once

#include <condition_variable>
#include <mutex>

#include "server/thread_annotations.h"

namespace findling::server {

class FINDLING_CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() FINDLING_ACQUIRE() { mu_.lock(); }
  void Unlock() FINDLING_RELEASE() { mu_.unlock(); }

 private:
  friend class CondVar;
  std::mutex mu_;
};

// Holds `*mu` from construction to destruction.
class FINDLING_SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex* mu) FINDLING_ACQUIRE(mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() FINDLING_RELEASE() { mu_->Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* const mu_;
};

class CondVar {
 public:
  CondVar() = default;
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  // Releases `mu`, sleeps until notified (or spuriously), and takes `mu`
  // again before returning: callers wait in a loop over their condition,
  // which the analysis then sees is read with `mu` held.
  void Wait(Mutex& mu) FINDLING_REQUIRES(mu) {
    std::unique_lock<std::mutex> lock(mu.mu_, std::adopt_lock);
    cv_.wait(lock);
    lock.release();  // still held: the caller's MutexLock unlocks it
  }
  void NotifyOne() { cv_.notify_one(); }
  void NotifyAll() { cv_.notify_all(); }

 private:
  std::condition_variable cv_;
};

}  // namespace findling::server
