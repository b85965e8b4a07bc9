print("LeakBenchmarks")
