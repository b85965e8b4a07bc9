import HeapRuntime

let heap = Heap()
do {
    let a = heap.list()                  // a = []      (an OwnedRef: count 1)
    let b = heap.list([a.ref])           // b = [a]     (a's count is 2)
    try heap.append(b, to: a)            // a.append(b): a cycle
}                                        // a and b go out of scope: their counts stay above zero…
print(heap.gc.collect())                 // …until the collector finds them: prints 2
