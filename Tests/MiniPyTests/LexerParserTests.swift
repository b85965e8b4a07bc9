import Testing
@testable import MiniPy

@Suite struct LexerParserTests {
    @Test func indentationBecomesIndentAndDedentTokens() throws {
        let tokens = try Lexer.tokenize("if x:\n    y = 1\nz = 2\n")
        let kinds = tokens.map(\.kind)
        #expect(kinds.contains(.indent))
        #expect(kinds.filter { $0 == .dedent }.count == 1)
        #expect(kinds.last == .end)
    }

    @Test func syntaxErrorNamesLineAndColumn() {
        #expect {
            _ = try Parser.parse("x = 1\ny = (2 +\n")
        } throws: { error in
            guard let error = error as? SyntaxError else { return false }
            return !error.isUnsupported && error.line >= 2
        }
        do {
            _ = try Parser.parse("a = 1\nb = 2 +* 3\n")
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.line == 2)
            #expect(error.column == 8)
        }
    }

    @Test func unsupportedSyntaxSaysSo() {
        for (source, line) in [("x = 1\nwith open('f') as f:\n    pass\n", 2), ("def g():\n    yield 1\n", 2), ("async def f(): pass\n", 1)] {
            do {
                _ = try Parser.parse(source)
                Issue.record("expected an error for \(source)")
            } catch {
                #expect(error.isUnsupported)
                #expect(error.message.hasPrefix("not supported by minipy: "))
                #expect(error.line == line)
            }
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let source = "x = " + String(repeating: "-", count: 100_000) + "1\n"
        do {
            _ = try Parser.parse(source)
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("too many nested"))
        }
        let brackets = "x = " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n"
        #expect(throws: SyntaxError.self) { _ = try Parser.parse(brackets) }
    }
}
