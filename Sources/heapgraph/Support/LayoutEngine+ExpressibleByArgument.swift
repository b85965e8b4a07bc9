import ArgumentParser
import GraphvizRender

/// `--engine dot|neato|fdp|sfdp|circo|twopi`.
extension LayoutEngine: ExpressibleByArgument {}
