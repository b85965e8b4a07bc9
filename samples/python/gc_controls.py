# The gc module's controls, as the documents use them.
import gc

print(gc.isenabled())
print(gc.get_threshold())
gc.set_threshold(700, 10, 5)
print(gc.get_threshold())
gc.set_threshold(700, 10, 10)
print(gc.get_threshold())

gc.disable()
print(gc.isenabled())
gc.enable()
print(gc.isenabled())

gc.collect()
print(gc.get_count()[1:], len(gc.get_stats()))
print(sorted(gc.get_stats()[0].keys()))

before = gc.get_stats()[2]["collections"]
gc.collect()
print(gc.get_stats()[2]["collections"] - before)
gc.collect(0)
print(gc.get_stats()[2]["collections"] - before)

print(gc.is_tracked(0), gc.is_tracked("a"), gc.is_tracked([]), gc.is_tracked({}))
print(gc.is_tracked({"a": 1}), gc.is_tracked({"a": []}))

print(gc.DEBUG_STATS, gc.DEBUG_COLLECTABLE, gc.DEBUG_UNCOLLECTABLE, gc.DEBUG_SAVEALL, gc.DEBUG_LEAK)
print(gc.get_debug())

gc.freeze()
print(gc.get_freeze_count() > 0)
gc.unfreeze()
print(gc.get_freeze_count())

# gc.get_referents and gc.get_referrers.
x = [1, 2]
y = [x, x]
z = {"key": x}
print(len(gc.get_referents(y)), gc.get_referents(y)[0] is x)
holders = gc.get_referrers(x)
print(any(h is y for h in holders), any(h is z for h in holders))
