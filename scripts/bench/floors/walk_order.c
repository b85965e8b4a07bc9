// The cost of walking a linked list of 4M 64-byte nodes laid out as the pool allocator lays
// out objects (16 KiB pools of 255 blocks in 1 MiB arenas), in address order and with every
// pair of pools swapped: what breaking the ascending run once per pool costs a collector pass.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

typedef struct Node { struct Node *next; uintptr_t previous; long count; long rest[5]; } Node;

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void run(long n, int swapped) {
    const long perPool = 255, poolsPerArena = 64;
    long pools = (n + perPool - 1) / perPool;
    char **pool = malloc(pools * sizeof *pool);
    if (!pool) { perror("malloc"); exit(1); }
    for (long p = 0; p < pools; p += poolsPerArena) {
        char *arena = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (arena == MAP_FAILED) { perror("mmap"); exit(1); }
        for (long k = 0; k < poolsPerArena && p + k < pools; k++) pool[p + k] = arena + k * 16384;
    }
    if (swapped)
        for (long k = 0; k + 1 < pools; k += 2) { char *t = pool[k]; pool[k] = pool[k + 1]; pool[k + 1] = t; }
    Node *first = NULL, *last = NULL;
    long made = 0;
    for (long k = 0; k < pools && made < n; k++)
        for (long b = 0; b < perPool && made < n; b++, made++) {
            Node *node = (Node *)(pool[k] + 64 + b * 64);
            node->count = 1;
            node->next = NULL;
            if (last) last->next = node; else first = node;
            last = node;
        }
    last->next = first;
    for (int round = 0; round < 3; round++) {
        double start = seconds();
        Node *node = first;
        for (long i = 0; i < n; i++) { node->previous |= (uintptr_t)node->count << 4; node = node->next; }
        printf("%s: %.2f ns per node (read next, write previous)\n", swapped ? "pools swapped   " : "in address order",
               (seconds() - start) * 1e9 / n);
    }
}

int main(void) {
    run(4000000, 0);
    run(4000000, 1);
    return 0;
}
