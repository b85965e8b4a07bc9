// The least the instances workload (10M instances with two attributes, made and then freed)
// can cost on this machine: the same objects and the same memory traffic as HeapRuntime,
// with none of its generality. Blocks come from 1 MiB arenas mapped and populated as the
// pool allocator maps them, bump-allocated per size class; each object gets its header, a
// container joins a doubly linked generation list, reference counts move as the workload
// moves them; freeing pushes each block on a free list and unmaps each arena once it is
// empty. No type dispatch, no checks, no pools within arenas.
//
// Two layouts, per object:
//   128 B: instance 64 (collector head 16, header 16, class, count, pairs pointer), a
//          separate table of two (name, value) pairs 32, the int 32. HeapRuntime today.
//   96 B:  instance 64 with the two values inline and the names shared per class
//          (CPython 3.11's layout), the int 32.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#define ARENA (1u << 20)

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

typedef struct Arena { long used; } Arena;  // at the arena's start: blocks in use
typedef struct Class { char *next, *limit; void *free; } Class;  // one size class

static char *map_arena(void) {
    char *raw = mmap(NULL, 2 * ARENA, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) { perror("mmap"); exit(1); }
    char *arena = (char *)(((uintptr_t)raw + ARENA - 1) & ~(uintptr_t)(ARENA - 1));
    if (arena > raw) munmap(raw, arena - raw);
    munmap(arena + ARENA, raw + 2 * ARENA - (arena + ARENA));
    madvise(arena, ARENA, 23 /* MADV_POPULATE_WRITE */);
    return arena;
}

static inline void *allocate(Class *c, size_t size) {
    if (c->free) { void *b = c->free; c->free = *(void **)b; ((Arena *)((uintptr_t)b & ~(uintptr_t)(ARENA - 1)))->used++; return b; }
    if (c->next + size > c->limit) {
        char *arena = map_arena();
        c->next = arena + 64;
        c->limit = arena + ARENA;
    }
    void *b = c->next;
    c->next += size;
    ((Arena *)((uintptr_t)b & ~(uintptr_t)(ARENA - 1)))->used++;
    return b;
}

static inline void deallocate(Class *c, void *b) {
    Arena *arena = (Arena *)((uintptr_t)b & ~(uintptr_t)(ARENA - 1));
    if (--arena->used == 0 && (char *)arena + ARENA != c->limit) {
        // Its blocks are all free: unmap it. Blocks are freed in the order they were made,
        // so the free list holds only this arena's blocks: reset it.
        c->free = NULL;
        munmap(arena, ARENA);
        return;
    }
    *(void **)b = c->free;
    c->free = b;
}

typedef struct Object { long refcount; void *type; } Object;
typedef struct Container { struct Container *next, *prev; Object head; } Container;
typedef struct Instance { Container gc; Object *cls; long count; Object *slots[2]; } Instance;  // 64 B
typedef struct Int { Object head; long value; long pad; } Int;                                  // 32 B
typedef struct Pairs { Object *name0, *value0, *name1, *value1; } Pairs;                         // 32 B

static int typeInstance, typeInt;

static void run(long n, int inlineValues) {
    Class c64 = {0}, c32 = {0}, c32b = {0};
    Object cls = {1, 0}, nameA = {1, 0}, nameB = {1, 0};
    Container generation = {&generation, &generation, {0, 0}};
    long capacity = 8, count = 0;
    Instance **items = malloc(capacity * sizeof *items);
    double start = seconds();
    for (long i = 0; i < n; i++) {
        Instance *o = allocate(&c64, 64);
        o->gc.head = (Object){1, &typeInstance};
        o->gc.next = &generation;
        o->gc.prev = generation.prev;
        generation.prev->next = &o->gc;
        generation.prev = &o->gc;
        cls.refcount++;
        o->cls = &cls;
        Int *value = allocate(&c32, 32);
        value->head = (Object){1, &typeInt};
        value->value = i;
        if (inlineValues) {
            o->slots[0] = &value->head;
            o->slots[1] = &value->head;
            o->count = 2;
        } else {
            Pairs *pairs = allocate(&c32b, 32);
            nameA.refcount++;
            nameB.refcount++;
            *pairs = (Pairs){&nameA, &value->head, &nameB, &value->head};
            o->slots[0] = (Object *)pairs;
            o->count = 2;
        }
        value->head.refcount += 2;
        value->head.refcount--;  // the workload's own reference goes
        if (count == capacity) {
            capacity *= 2;
            items = realloc(items, capacity * sizeof *items);
            if (!items) { perror("realloc"); exit(1); }
        }
        items[count++] = o;
    }
    double made = seconds();
    for (long i = 0; i < count; i++) {
        Instance *o = items[i];
        if (--o->gc.head.refcount != 0) continue;
        o->gc.prev->next = o->gc.next;
        o->gc.next->prev = o->gc.prev;
        Object *value;
        if (inlineValues) {
            value = o->slots[0];
            value->refcount -= 2;
        } else {
            Pairs *pairs = (Pairs *)o->slots[0];
            value = pairs->value0;
            pairs->name0->refcount--;
            pairs->name1->refcount--;
            value->refcount -= 2;
            deallocate(&c32b, pairs);
        }
        if (value->refcount == 0) deallocate(&c32, value);
        o->cls->refcount--;
        deallocate(&c64, o);
    }
    free(items);
    double freed = seconds();
    printf("%s: made %.1f, freed %.1f, total %.1f ns per object\n", inlineValues ? " 96 B" : "128 B",
           (made - start) * 1e9 / n, (freed - made) * 1e9 / n, (freed - start) * 1e9 / n);
    // The arenas still being filled when the loop ended (at most one per size class) are
    // left mapped; a few MiB, the same each run.
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 10000000;
    for (int round = 0; round < 5; round++) { run(n, 0); run(n, 1); }
    return 0;
}
