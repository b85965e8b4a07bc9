"""Command line: `run OUT -- prog.py ARGS...` and `--pid PID OUT`."""
import os
import sys
import traceback
import types

from heapgraph_dump.snapshot import _own_file, dump

_own_file(__file__)

USAGE = ("usage: heapgraph-dump run OUT.heapgraph -- PROGRAM.py [ARGS...]\n"
         "       heapgraph-dump --pid PID OUT.heapgraph\n")


def _error(message):
    sys.stderr.write("heapgraph-dump: %s\n" % message)


def _exit_status(code):
    """The status Python itself gives for `sys.exit(code)` (printing a non-integer code)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    sys.stderr.write("%s\n" % (code,))
    sys.stderr.flush()
    return 1


def run(out, program, args):
    """Run `program` as `__main__`, then write the snapshot; returns the program's exit status."""
    try:
        with open(program, "rb") as source_file:
            source = source_file.read()
    except OSError as error:
        _error("cannot run %s: %s" % (program, error.strerror or error))
        return 2
    try:
        code = compile(source, program, "exec")
    except (SyntaxError, ValueError) as error:
        traceback.print_exception(type(error), error, None)
        code = None
        status = 1
    main = types.ModuleType("__main__")
    main.__file__ = program
    main.__builtins__ = __builtins__
    main.__loader__ = None
    main.__spec__ = None
    saved = sys.modules.get("__main__"), list(sys.argv), sys.path[0] if sys.path else None
    sys.modules["__main__"] = main
    sys.argv[:] = [program] + list(args)
    if sys.path:
        sys.path[0] = os.path.dirname(os.path.abspath(program))
    if code is not None:
        status = 0
        try:
            exec(code, main.__dict__)
        except SystemExit as exit_:
            status = _exit_status(exit_.code)
        except BaseException:
            # Python's own report of an uncaught exception, without our frames.
            kind, value, tb = sys.exc_info()
            while tb is not None and tb.tb_frame.f_code.co_filename != program:
                tb = tb.tb_next
            traceback.print_exception(kind, value, tb)
            del kind, value, tb
            status = 1
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        dump(out)
    except OSError as error:
        _error("cannot write the snapshot %s: %s" % (out, error.strerror or error))
        # The program's own status stays; a successful run without its snapshot is a failure.
        if status == 0:
            status = 1
    return status


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["run"]:
        rest = argv[1:]
        if len(rest) < 3 or rest[1] != "--":
            sys.stderr.write(USAGE)
            return 2
        return run(rest[0], rest[2], rest[3:])
    if argv[:1] == ["--pid"]:
        from heapgraph_dump.attach import attach
        if len(argv) != 3:
            sys.stderr.write(USAGE)
            return 2
        return attach(argv[1], argv[2])
    sys.stderr.write(USAGE)
    return 2
