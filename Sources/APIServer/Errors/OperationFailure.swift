import APIRuntime

/// What an operation's service code may throw: the generated
/// `Operations.X.Failure` of each operation conforms, with one static
/// constructor per error status the operation documents (each written in
/// the spec's error body) and ``unexpected(_:)`` for a fault. The protocol
/// method is `async throws(Operations.X.Failure)`, so a status the
/// operation does not document does not compile:
///
///     func getPet(_ input: Operations.GetPet.Input, context: OperationContext<Never>)
///         async throws(Operations.GetPet.Failure) -> Operations.GetPet.Output {
///         guard let pet = pets[input.id] else { throw .notFound("There is no pet \(input.id).") }
///         return .ok(pet)
///     }
///
/// The statuses the runtime answers by itself (401/403 from `security`,
/// 400 from validation, 404/405 from routing, 413/415 from the body) stay
/// in the runtime; the generator warns when an operation does not document
/// one it can produce.
public protocol OperationFailure: Error, Sendable {
    /// A fault the operation does not document as an answer of its own (a
    /// database error, a bug): answered 500, or 503 when the responder's
    /// `isUnavailable` says a dependency is down, and logged on the
    /// request's line with ``APIResponder/describe(_:)``. Never shown to
    /// the client.
    static func unexpected(_ error: any Error) -> Self

    /// What the route hands the responder: an ``APIError`` with a
    /// documented status, or an ``UnexpectedFailure``.
    var answer: any Error { get }
}

/// A fault thrown through an operation's `Failure` (``OperationFailure/unexpected(_:)``):
/// the responder answers 500 (or 503) whatever the underlying error is,
/// even an ``APIError``, so service code cannot reach an undocumented
/// status through it.
public struct UnexpectedFailure: Error, Sendable, CustomStringConvertible {
    /// The error the service could not handle.
    public let underlying: any Error

    /// A fault wrapping `underlying`.
    public init(_ underlying: any Error) {
        self.underlying = underlying
    }

    /// The underlying error's description.
    public var description: String { String(describing: underlying) }
}

extension APIError {
    /// An error answered with `status`, `message` and the documented
    /// response headers that have a value (`nil` ones are left out): what
    /// generated `Failure` constructors make.
    public init(_ status: Status, _ message: String, fieldErrors: [FieldError] = [], documentedHeaders: [(String, String?)]) {
        self.init(status, message, fieldErrors: fieldErrors, headers: documentedHeaders.compactMap { name, value in value.map { (name: name, value: $0) } })
    }
}

/// An operation's `Input`, naming the operation's ``OperationFailure``
/// type (generated for every operation): a helper several operations
/// share takes the input, and throws that operation's failure.
///
///     func visiblePet<I: OperationInput>(_ id: Int, for input: I) throws(I.Failure) -> Pet
///         where I.Failure: Failures.NotFound {
///         guard let pet = pets[id] else { throw .notFound("There is no pet \(id).") }
///         return pet
///     }
public protocol OperationInput: Sendable {
    /// The operation's `Failure`.
    associatedtype Failure: OperationFailure
}

/// The failure of an operation that documents no error status with the
/// spec's error body: only a fault (``unexpected(_:)``). Generated code
/// names it for each such operation (`typealias Failure = OperationFault`)
/// instead of declaring a type with no constructor of its own; the
/// operation's documented errors, if any, are `Output` cases to return.
public struct OperationFault: OperationFailure {
    /// The ``UnexpectedFailure`` the route hands the responder.
    public let answer: any Error

    private init(_ answer: any Error) {
        self.answer = answer
    }

    /// A fault: answered 500 (503 when the database cannot be reached) and logged, never shown.
    public static func unexpected(_ error: any Error) -> Self {
        Self(UnexpectedFailure(error))
    }
}
