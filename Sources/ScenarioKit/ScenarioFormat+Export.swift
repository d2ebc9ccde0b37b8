/// The scenario file format is its own module (see Package.swift); everything that runs
/// scenarios sees its types as ScenarioKit's.
@_exported public import ScenarioFormat
