# objgraph's queries on a program's own classes (CPython's interpreter holds thousands of
# other objects, so only user types are printed).
import gc
import objgraph

class Node:
    def __init__(self, name):
        self.name = name
        self.children = []

class Leaf:
    pass

root = Node("root")
for i in range(5):
    child = Node("child%d" % i)
    child.children.append(Leaf())
    root.children.append(child)
del child

print(objgraph.count("Node"), objgraph.count("Leaf"))
print(len(objgraph.by_type("Node")), sorted(n.name for n in objgraph.by_type("Node"))[:2])
stats = objgraph.typestats()
print(stats["Node"], stats["Leaf"])
print([row for row in objgraph.most_common_types(limit=1000) if row[0] in ("Node", "Leaf")])
print(objgraph.is_proper_module(objgraph), objgraph.is_proper_module(root))

# growth: types above their peak since the last call.
objgraph.growth()
extra = [Leaf() for i in range(3)]
print([row for row in objgraph.growth() if row[0] in ("Node", "Leaf")])
print([row for row in objgraph.growth() if row[0] in ("Node", "Leaf")])

# Chains: from a leaf back to the list of the root's children.
leaf = root.children[2].children[0]
chain = objgraph.find_backref_chain(leaf, lambda obj: obj is root.children, max_depth=5)
print(len(chain), chain[0] is root.children, chain[-1] is leaf)
chain = objgraph.find_ref_chain(root, lambda obj: isinstance(obj, Leaf))
print(len(chain), chain[0] is root, isinstance(chain[-1], Leaf))

# A leak: nodes kept alive by a global cache.
cache = []
def handle(request):
    node = Node(request)
    cache.append(node)
    return len(node.name)

before = objgraph.count("Node")
for i in range(10):
    handle("req%d" % i)
gc.collect()
print(objgraph.count("Node") - before)
