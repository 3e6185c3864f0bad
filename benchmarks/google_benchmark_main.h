// The frame of the Google Benchmark programs' Main() (analysis, reader and
// query benchmarks): the program takes its own flags out of argv first
// (bench_common.h's TakeFlag), hands the rest to Google Benchmark, registers
// its benchmarks from what it loaded, and runs them.
//
// Separate from bench_common.h because the programs without Google
// Benchmark (gencorpus, the SphinxQL client) include that one too.
#pragma once

#include <benchmark/benchmark.h>

namespace findling::bench {

// Hands argv (the program's own flags already taken) to Google Benchmark.
// False when a flag is left that neither knows: it is reported on stderr
// and the program exits with 2, before loading anything.
inline bool InitGoogleBenchmark(int& argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  return !benchmark::ReportUnrecognizedArguments(argc, argv);
}

// Runs the registered benchmarks that --benchmark_filter selects and
// returns main()'s exit status. What they point to must live until then.
inline int RunRegisteredBenchmarks() {
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace findling::bench
