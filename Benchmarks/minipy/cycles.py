# A million two-list cycles, then a full collection (issue 20's first speed target).
import gc

for i in range(1000000):
    a = []
    b = [a]
    a.append(b)
print(gc.collect())
