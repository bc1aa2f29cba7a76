import Support

/// The generator behind the corpus generator's seeds: the package's one SplitMix64
/// (`Support.SplitMix64`), named here so that callers of `CorpusGenerator` need not import
/// `Support` themselves.
public typealias SplitMix64 = Support.SplitMix64
