// Umbrella header for CGraphviz: libgvc and libcgraph as Graphviz 2.42+
// installs them (Debian 12: libgraphviz-dev).
//
// The static inline helper below exists because Swift cannot call C variadic
// functions such as agerr. (Add accessors here too for C globals such as
// Agdirected, which Swift 6 rejects as shared mutable state.)
#ifndef HEAPGRAPH_CGRAPHVIZ_SHIM_H
#define HEAPGRAPH_CGRAPHVIZ_SHIM_H

#include <graphviz/gvc.h>
#include <graphviz/cgraph.h>

/// Starts a fresh message in cgraph's error buffer, writing no text.
///
/// With `agseterr(AGMAX)` cgraph appends every message to a private temp file
/// and `aglasterr()` returns the text from the start of the newest message.
/// Calling this before an operation makes `aglasterr()` afterwards return
/// either the operation's own last message or an empty string, never a
/// message left over from an earlier operation.
static inline void hg_agerr_mark(void) {
    agerr(AGWARN, "%s", "");
}

#endif
