import GGUF
import Llama
import Testing

/// `PackedEmbedder` packs several phrases into one forward pass behind a block-diagonal causal
/// mask with per-sequence positions. The reference is `LlamaSession.embed`, one sequence per
/// pass (itself checked against llama.cpp in the Llama tests): every packed embedding must
/// match it up to the rounding difference of the matrix path.
@Suite struct PackedEmbedderTests {
    static let phrases = [
        "lufthansa 4 3 9 3 descend flight level 2 7 0",
        "roger",
        "sabena 4 8 1 rhein identified",
        "air malta 1 0 4 contact zurich 1 3 4 decimal 6 goodbye",
        "k l m 7 5 turn left heading 2 7 0 cleared direct trasadingen",
        "squawk 4 6 2 1",
    ]

    static func distance(_ a: [Float], _ b: [Float]) -> Double {
        zip(a, b).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }.squareRoot()
    }

    /// Raw hidden states of different phrases share dominant directions (cosines near 1), so
    /// closeness is judged against the distance between two different phrases.
    static func closestOther(_ index: Int, _ vectors: [[Float]]) -> Double {
        vectors.indices.filter { $0 != index }.map { distance(vectors[index], vectors[$0]) }.min()!
    }

    @Test(.enabled(if: RetrievalTestSupport.hasModel, "needs models/SmolLM2-135M-Instruct.Q4_1.gguf (run the setup)"),
          arguments: [(3, Pooling.mean), (nil, Pooling.mean), (5, Pooling.last)] as [(Int?, Pooling)])
    func packedMatchesOneSequencePerPass(layer: Int?, pooling: Pooling) throws {
        let model = try LlamaModel(path: RetrievalTestSupport.modelPath)
        let tokenizer = try Tokenizer(file: model.file)
        let sequences = Self.phrases.map { tokenizer.tokenize($0, addSpecial: true).map { Int32($0) } }
        let session = try LlamaSession(model: model, contextLength: 64)
        // The packed passes are long enough for sgemm; the reference takes the same f32 path
        // (short phrases alone would otherwise take the int8 products, whose rounding differs).
        session.blasThreshold = 1
        let alone = try sequences.map { try session.embed($0, pooling: pooling, layer: layer) }
        // Capacity 40 forces several passes, each holding two or three phrases.
        let packer = try PackedEmbedder(model: model, capacity: 40)
        let packed = try packer.embed(sequences, pooling: pooling, layer: layer)
        // f32 rounding differences (sgemm blocking differs with the batch's row count) grow
        // through the blocks: ~1% of the phrase separation after 6 blocks, ~3% after all 30
        // (where two packed passes of the same phrase differ as much as packed and alone do).
        let tolerance = layer == nil ? 0.05 : 0.02
        #expect(packed.count == sequences.count)
        for (index, (a, b)) in zip(alone, packed).enumerated() {
            let error = Self.distance(a, b), separation = Self.closestOther(index, alone)
            #expect(error < tolerance * separation, "phrase \(index) '\(Self.phrases[index])': off by \(error), nearest other phrase \(separation)")
        }
        // Without the mask the second phrase would attend to the first: packed after it, it must
        // equal itself packed alone.
        let pair = try packer.embed([sequences[0], sequences[2]], pooling: pooling, layer: layer)
        let second = try packer.embed([sequences[2]], pooling: pooling, layer: layer)
        #expect(Self.distance(pair[1], second[0]) < tolerance * Self.closestOther(2, alone))
    }

    @Test(.enabled(if: RetrievalTestSupport.hasModel, "needs models/SmolLM2-135M-Instruct.Q4_1.gguf (run the setup)"))
    func refusesWhatDoesNotFit() throws {
        let model = try LlamaModel(path: RetrievalTestSupport.modelPath)
        let packer = try PackedEmbedder(model: model, capacity: 4)
        #expect(throws: LlamaError.self) { try packer.embed([[1, 2, 3, 4, 5]]) }
        #expect(throws: LlamaError.self) { try packer.embed([[]]) }
        #expect(throws: LlamaError.self) { try packer.embed([[1, 2]], layer: 99) }
        #expect(try packer.embed([]).isEmpty)
    }
}
