print("ObjgraphBenchmarks")
