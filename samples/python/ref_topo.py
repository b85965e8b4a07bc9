# The documents' picture of a reference topology: objgraph.show_refs writes the graph of
# what z refers to (three levels deep) to ref_topo.png.
x = [1, 2, 3]
y = [x, dict(key1=x)]
z = [y, (x, y)]
import objgraph
objgraph.show_refs([z], filename='ref_topo.png')
