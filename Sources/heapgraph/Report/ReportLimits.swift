/// How much of a heap one report page shows. A 1M-object heap has tens of thousands of
/// types and a million retainers; the page lists the top of each table and says what it
/// left out, so it stays a few megabytes (docs/performance.md, "HTML report").
struct ReportLimits {
    /// Rows of the most-common-types table.
    var types = 50
    /// Rows of the growth table (types whose count changed).
    var growthRows = 50
    /// Rows of the dominators table.
    var dominators = 50
    /// Leak groups shown in full; the rest are counted.
    var groups = 100
    /// Leak groups that get a picture (the first ones, largest first within a category).
    var pictures = 30
    /// Objects drawn in each picture at most.
    var pictureNodes = 60
}
