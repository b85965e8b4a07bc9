import Foundation
import HeapGraphModel
import Testing

/// `minipy FILE`, `minipy -c CODE`, `--snapshot`, exit statuses and error reports.
@Suite struct CommandLineTests {
    func run(_ arguments: [String], source: String? = nil) throws -> (RunResult, String) {
        let directory = try makeScratch("cli")
        if let source { try source.write(toFile: directory + "/prog.py", atomically: true, encoding: .utf8) }
        return (try runProgram(try minipyExecutable(), arguments, in: directory), directory)
    }

    @Test func runsCodeFromTheCommandLine() throws {
        let (result, directory) = try run(["-c", "import sys\nprint(sys.argv, 6 * 7)", "x"])
        defer { removeScratch(directory) }
        #expect(result.status == 0)
        #expect(result.standardOutput == "['-c', 'x'] 42\n")
    }

    @Test func uncaughtExceptionIsATracebackWithFileAndLine() throws {
        let (result, directory) = try run(["prog.py"], source: "def f(x):\n    return 1 / x\nprint('before')\nf(0)\n")
        defer { removeScratch(directory) }
        #expect(result.status == 1)
        #expect(result.standardOutput == "before\n")
        #expect(result.standardError == """
            Traceback (most recent call last):
              File "prog.py", line 4, in <module>
                f(0)
              File "prog.py", line 2, in f
                return 1 / x
            ZeroDivisionError: division by zero

            """)
    }

    @Test func systemExitSetsTheStatus() throws {
        let (result, directory) = try run(["-c", "import sys\nsys.exit(3)"])
        defer { removeScratch(directory) }
        #expect(result.status == 3)
        #expect(result.standardError.isEmpty)
    }

    @Test func syntaxErrorNamesLineAndColumn() throws {
        let (result, directory) = try run(["prog.py"], source: "x = 1\ny = (2 +* 3)\n")
        defer { removeScratch(directory) }
        #expect(result.status == 1)
        #expect(result.standardError.contains("File \"prog.py\", line 2"))
        #expect(result.standardError.contains("SyntaxError: invalid syntax (line 2, column 9)"))
    }

    @Test func unsupportedSyntaxIsNamed() throws {
        let (result, directory) = try run(["prog.py"], source: "x = 1\nwith open('f') as f:\n    pass\n")
        defer { removeScratch(directory) }
        #expect(result.status == 1)
        #expect(result.standardError.contains("SyntaxError: not supported by minipy: 'with' statements (line 2)"))
    }

    @Test func runawayRecursionIsARecursionError() throws {
        let (result, directory) = try run(["-c", "def f(n):\n    return f(n + 1)\nf(0)"])
        defer { removeScratch(directory) }
        #expect(result.status == 1)
        #expect(result.standardError.hasSuffix("RecursionError: maximum recursion depth exceeded\n"))
        let deep = try run(["-c", "import sys\nsys.setrecursionlimit(10000)\ndef d(n):\n    return 0 if n == 0 else 1 + d(n - 1)\nprint(d(9000))"])
        defer { removeScratch(deep.1) }
        #expect(deep.0.status == 0, "\(deep.0.standardError)")
        #expect(deep.0.standardOutput == "9000\n")
    }

    @Test func badInvocationsExitWithUsageOrInputErrors() throws {
        let (usage, first) = try run([])
        defer { removeScratch(first) }
        #expect(usage.status == 64)
        #expect(usage.standardError.hasPrefix("usage: minipy"))
        let (missing, second) = try run(["no-such-file.py"])
        defer { removeScratch(second) }
        #expect(missing.status == 2)
        #expect(missing.standardError.split(separator: "\n").count == 1)
        let (badOption, third) = try run(["--snapshot"])
        defer { removeScratch(third) }
        #expect(badOption.status == 64)
    }

    @Test func snapshotAtExitHoldsTheProgramsObjects() throws {
        let source = """
            class Node:
                def __init__(self):
                    self.next = None
            nodes = [Node() for i in range(5)]
            a = Node()
            b = Node()
            a.next = b
            b.next = a

            """
        let (result, directory) = try run(["--snapshot", "out.heapgraph", "prog.py"], source: source)
        defer { removeScratch(directory) }
        #expect(result.status == 0, "\(result.standardError)")
        let graph = try HeapSnapshot(contentsOf: directory + "/out.heapgraph")
        let nodes = (0..<graph.nodeCount).filter { graph.typeName(of: $0) == "Node" }
        #expect(nodes.count == 7)
    }

    @Test func memoryProfilerReportsExactHeapBytes() throws {
        let source = """
            from memory_profiler import profile

            @profile(precision=6)
            def grow():
                data = [None] * 131072
                return len(data)

            print(grow())

            """
        let (result, directory) = try run(["prog.py"], source: source)
        defer { removeScratch(directory) }
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("Line #    Mem usage") })
        // 131072 slots of 8 bytes: at least 1 MiB more (plus the list's spare capacity), on
        // the line that made the list; one new int on the line that reads its length.
        let columns = { (suffix: String) -> [String] in
            (lines.first { $0.hasSuffix(suffix) } ?? "").split(separator: " ").map(String.init)
        }
        let made = columns("data = [None] * 131072")
        let increment = try #require(made.count > 4 ? Double(made[3]) : nil)
        #expect(increment >= 1.0 && increment < 1.25, "\(made)")
        let read = columns("return len(data)")
        // len() makes one int: a 32-byte block, 0.000031 MiB.
        #expect(read.count > 4 && read[3] == "0.000031", "\(read)")
        #expect(lines.last == "131072")
    }
}
