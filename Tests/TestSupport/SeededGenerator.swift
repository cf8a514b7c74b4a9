/// SplitMix64 (Steele, Lea & Flood): a small fixed-seed generator, so a test
/// that draws random inputs can make them again from the seed it reports,
/// and a Python script can reproduce its output for known answers.
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    /// A generator whose output depends only on `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
