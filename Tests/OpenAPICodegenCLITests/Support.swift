import Foundation
import TestSupport
import Testing

/// The corpus specs: every standalone file plus the multi-file Unkey root.
enum Corpus {
    struct Spec: CustomStringConvertible, Sendable {
        let relativePath: String
        let paths: Int
        let operations: Int
        var url: URL { Locations.specs.appendingPathComponent(relativePath) }
        var description: String { relativePath }
    }

    /// Path and operation counts as SOURCES.md gives them.
    static let specs: [Spec] = [
        Spec(relativePath: "opal.yaml", paths: 86, operations: 144),
        Spec(relativePath: "unkey-openapi.yaml", paths: 83, operations: 83),
        Spec(relativePath: "unkey-split/openapi-split.yaml", paths: 83, operations: 83),
        Spec(relativePath: "keycloak-23.0.0.yaml", paths: 208, operations: 316),
        Spec(relativePath: "snyk-rest.json", paths: 137, operations: 204),
        Spec(relativePath: "stripe-spec3.yaml", paths: 318, operations: 468),
        Spec(relativePath: "github-api.github.com-2020-07-30.yaml", paths: 403, operations: 623),
        Spec(relativePath: "petstore.yaml", paths: 2, operations: 3),
        Spec(relativePath: "petstore-expanded.yaml", paths: 2, operations: 4),
        Spec(relativePath: "webhook-example.yaml", paths: 0, operations: 0),
    ]
}
