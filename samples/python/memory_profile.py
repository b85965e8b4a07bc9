# compare: skip (memory_profiler measures the process's resident memory under CPython;
# minipy reports the heap's own allocated bytes, so the figures differ by design)
# The documents' memory_profiler example, smaller: the per-line table of a function.
from memory_profiler import profile

@profile
def my_function():
    data = [i for i in range(100000)]
    return data

result = my_function()
print(len(result))
