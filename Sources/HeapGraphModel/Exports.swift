// The graph speaks the format's vocabulary (errors, node flags, edge labels): whoever uses
// the graph uses those too, so they come with it.
@_exported import HeapGraphFormat
