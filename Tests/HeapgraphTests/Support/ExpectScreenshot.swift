import Testing

/// Checks that `path` is a whole PNG (``PNGFile``) of `width`×`height` with more than a
/// blank page in it.
func expectScreenshot(_ path: String, width: Int, height: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let png = try PNGFile(contentsOf: path)
    #expect(png.width == width && png.height == height, "\(path): \(png.width)×\(png.height)", sourceLocation: sourceLocation)
    // A blank 1280×900 page is about 5 KB (5,289 bytes from Chromium 156); text and
    // pictures make it larger.
    #expect(png.byteCount > 10_000, "\(path): \(png.byteCount) bytes", sourceLocation: sourceLocation)
}
