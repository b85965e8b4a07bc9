// Placeholder until the command line lands (issue #7).
print("heapgraph")
