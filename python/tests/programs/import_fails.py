print("import_fails: before")
import no_such_module_heapgraph  # noqa: F401
