import HeapAnalysis

/// "1 group", "3 leaks".
enum LeakReportCounts {
    static func plural(_ count: Int, _ noun: String) -> String {
        "\(ReportStyle.count(count)) \(noun)\(count == 1 ? "" : "s")"
    }
}
