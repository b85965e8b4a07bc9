import MiniPy
import Testing

/// The compiled closures hold the interpreter; once a program has run, the interpreter must
/// still go away with its last outside reference (and its heap with it), whatever the
/// program compiled: functions called recursively (frames pooled), classes, comprehensions,
/// closures over cells, memory_profiler's line profiles.
@Suite struct InterpreterLifetimeTests {
    static let programs = [
        "def f(n):\n    return f(n - 1) if n else (n, n)\nx = f(5)",
        "class C:\n    def m(self):\n        return [y * 2 for y in range(3)]\nz = C().m()",
        "def outer():\n    k = 1\n    def inner():\n        return k\n    return inner\ng = outer()\nh = g()",
        "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    caught = e",
        "1 / 0",
    ]

    @Test(arguments: programs)
    func interpreterIsFreedAfterRunning(_ source: String) {
        weak var weakInterpreter: Interpreter?
        do {
            let interpreter = Interpreter()
            weakInterpreter = interpreter
            let status = interpreter.run(source: source, filename: "<test>")
            #expect(status == (source == "1 / 0" ? 1 : 0))
        }
        #expect(weakInterpreter == nil)
    }
}
