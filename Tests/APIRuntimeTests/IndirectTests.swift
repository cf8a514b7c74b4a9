import Testing
@testable import APIRuntime

/// A recursive struct, the way generated code writes one.
struct Node: Sendable, Hashable, JSONDecodable, JSONEncodable {
    var name: String
    @Indirect var child: Node?

    init(name: String, child: Node?) {
        self.name = name
        self.child = child
    }

    init?(json: JSON, path: FieldPath, errors: inout ValidationErrors) {
        guard let object = json.objectValue(at: path, errors: &errors) else { return nil }
        let name = object.required(String.self, "name", path: path, errors: &errors)
        let child = object.optional(Node.self, "child", nullable: true, path: path, errors: &errors)
        guard let name, let child else { return nil }
        self.name = name
        self.child = child
    }

    func encode(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("name", name)
        writer.field("child", child, nullable: false)
        writer.endObject()
    }
}

@Suite("Indirect")
struct IndirectTests {
    @Test func recursion() {
        let tree = Node(name: "a", child: Node(name: "b", child: Node(name: "c", child: nil)))
        #expect(tree.child?.child?.name == "c")
        #expect(tree.child?.child?.child == nil)
    }

    @Test func copiesAreIndependent() {
        let original = Node(name: "a", child: Node(name: "b", child: nil))
        var copy = original
        copy.child?.name = "changed"
        #expect(original.child?.name == "b")
        #expect(copy.child?.name == "changed")
        var second = original
        second.child = nil
        #expect(original.child != nil)
        #expect(second.child == nil)
        #expect(copy != original)
    }

    @Test func uniqueMutationIsInPlaceAndCorrect() {
        var node = Node(name: "a", child: Node(name: "b", child: nil))
        for index in 0..<5 { node.child?.name += "\(index)" }
        #expect(node.child?.name == "b01234")
    }

    @Test func wrapperValueSemantics() {
        var first = Indirect(wrappedValue: [1, 2])
        let second = first
        first.wrappedValue.append(3)
        #expect(first.wrappedValue == [1, 2, 3])
        #expect(second.wrappedValue == [1, 2])
        #expect(first != second)
        first.wrappedValue = [1, 2]
        #expect(first == second)
        #expect(first.hashValue == second.hashValue)
    }

    @Test func equalityAndHashing() {
        let a = Node(name: "a", child: Node(name: "b", child: nil))
        let b = Node(name: "a", child: Node(name: "b", child: nil))
        let c = Node(name: "a", child: Node(name: "x", child: nil))
        #expect(a == b)
        #expect(a != c)
        #expect(Set([a, b, c]).count == 2)
    }

    @Test func decodingAndEncodingThroughIndirect() throws {
        let text = #"{"name":"a","child":{"name":"b","child":{"name":"c"}}}"#
        let (node, errors) = try decode(Node.self, text: text, at: "")
        #expect(errors.isEmpty)
        #expect(node?.child?.child?.name == "c")
        var writer = JSONWriter()
        node?.encode(to: &writer)
        #expect(writer.string == text)
        let (_, badErrors) = try decode(Node.self, text: #"{"name":"a","child":{"child":{"name":1}}}"#, at: "")
        #expect(badErrors == [
            FieldError(field: "child.name", message: "is required"),
            FieldError(field: "child.child.name", message: "must be a string"),
        ])
    }

    @Test func indirectIsItselfCodable() throws {
        let (value, _) = try decode(Indirect<[Int]>.self, text: "[1,2]")
        #expect(value?.wrappedValue == [1, 2])
        #expect(JSONWriter.encode(Indirect(wrappedValue: "x")) == Array(#""x""#.utf8))
    }
}
