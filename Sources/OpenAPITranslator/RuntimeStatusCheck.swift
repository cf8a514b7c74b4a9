import GeneratorDiagnostics
import OpenAPIModel

/// The statuses the runtime answers by itself for an operation, which the
/// spec should document so clients know to expect them: 401 when the
/// operation needs credentials, 403 when it needs scopes, 400 when it has
/// parameters or a body to validate, 413 and 415 when it takes a body.
/// (404/405 answer paths no operation has, and are no operation's.)
enum RuntimeStatusCheck {
    /// One warning per operation, at its line, naming what it lacks.
    static func warnUndocumented(_ plans: [OperationPlan], models: ModelTranslator) {
        for plan in plans {
            var possible: [(status: Int, reason: String)] = []
            if !plan.security.isEmpty, !plan.security.contains(where: { $0.entries.isEmpty }) {
                possible.append((401, "its security requires credentials"))
                if plan.security.contains(where: { $0.entries.contains { !$0.scopes.isEmpty } }) {
                    possible.append((403, "its security requires scopes"))
                }
            }
            if !plan.parameters.isEmpty || plan.body != nil {
                possible.append((400, "its \(plan.body == nil ? "parameters are" : "input is") validated"))
            }
            if plan.body != nil {
                possible.append((413, "it takes a body (size limit)"))
                possible.append((415, "it takes a body (media type)"))
            }
            let missing = possible.filter { !documents($0.status, plan.responses) }
            guard !missing.isEmpty else { continue }
            let list = missing.map { "\($0.status) (\($0.reason))" }.joined(separator: ", ")
            models.diagnostics.warning("operation '\(plan.operation.operationId ?? plan.methodName)' does not document \(list), which the server answers by itself; add the responses (or a 4XX or default response)", at: plan.operation.source)
        }
    }

    /// Whether `status` is documented exactly, by its range (`4XX`), or by `default`.
    static func documents(_ status: Int, _ responses: [OperationPlan.Response]) -> Bool {
        responses.contains { response in
            response.status == String(status) || response.status.uppercased() == "\(status / 100)XX" || response.status == "default"
        }
    }
}
