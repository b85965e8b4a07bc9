// What this machine charges for fresh memory, as the allocator obtains it: 1.3 GB mapped in
// 1 MiB pieces, each populated (MADV_POPULATE_WRITE) or touched page by page, then
// unmapped. Printed per 128 bytes, the footprint of one object in the instances workload.
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void run(int populate) {
    const size_t piece = 1 << 20, total = (size_t)1300 << 20, count = total / piece;
    char **pieces = malloc(count * sizeof *pieces);
    if (!pieces) { perror("malloc"); exit(1); }
    double start = seconds();
    for (size_t i = 0; i < count; i++) {
        pieces[i] = mmap(NULL, piece, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (pieces[i] == MAP_FAILED) { perror("mmap"); exit(1); }
        if (populate) madvise(pieces[i], piece, 23 /* MADV_POPULATE_WRITE */);
        for (size_t offset = 0; offset < piece; offset += 4096) pieces[i][offset] = 1;
    }
    double mapped = seconds();
    for (size_t i = 0; i < count; i++) munmap(pieces[i], piece);
    double unmapped = seconds();
    double per = 1e9 / (double)(total / 128);
    printf("%s: supply %.1f ns, unmap %.1f ns per 128 B\n", populate ? "populated" : "lazy     ",
           (mapped - start) * per, (unmapped - mapped) * per);
    free(pieces);
}

int main(void) {
    for (int round = 0; round < 3; round++) { run(1); run(0); }
    return 0;
}
