// What generated struct decoders call, one line per property. The return
// types let the caller tell "absent (or null)" (`.some(nil)`) from "invalid"
// (`nil`, with the error already recorded); `optionalNullable` keeps absent
// and null apart, one level deeper.

extension JSONObject {
    /// A required, non-null member: missing → `is required`, null →
    /// `must not be null`, otherwise decoded at `path.key`.
    public func required<T: JSONDecodable>(
        _ type: T.Type, _ key: String, path: FieldPath, errors: inout ValidationErrors
    ) -> T? {
        guard let value = self[key] else {
            errors.add(path.appending(key), DecodingMessage.required)
            return nil
        }
        if case .null = value {
            errors.add(path.appending(key), DecodingMessage.notNull)
            return nil
        }
        return T(json: value, path: path.appending(key), errors: &errors)
    }

    /// A required member that may be null: missing → `is required` and nil;
    /// null → `.some(nil)`; a value → `.some(value)`, or nil when invalid.
    public func requiredNullable<T: JSONDecodable>(
        _ type: T.Type, _ key: String, path: FieldPath, errors: inout ValidationErrors
    ) -> T?? {
        guard let value = self[key] else {
            errors.add(path.appending(key), DecodingMessage.required)
            return nil
        }
        if case .null = value { return .some(nil) }
        guard let decoded = T(json: value, path: path.appending(key), errors: &errors) else { return nil }
        return .some(decoded)
    }

    /// An optional member: missing → `.some(nil)`; null → `.some(nil)` when
    /// `nullable`, else `must not be null` and nil; a value → `.some(value)`,
    /// or nil when invalid.
    public func optional<T: JSONDecodable>(
        _ type: T.Type, _ key: String, nullable: Bool, path: FieldPath, errors: inout ValidationErrors
    ) -> T?? {
        guard let value = self[key] else { return .some(nil) }
        if case .null = value {
            if nullable { return .some(nil) }
            errors.add(path.appending(key), DecodingMessage.notNull)
            return nil
        }
        guard let decoded = T(json: value, path: path.appending(key), errors: &errors) else { return nil }
        return .some(decoded)
    }

    /// An optional member that may be null, keeping the two apart (JSON
    /// merge-patch semantics): missing → `.some(nil)` (absent); null →
    /// `.some(.some(nil))`; a value → `.some(.some(value))`, or nil when
    /// invalid (with the error recorded). Unwrapping the outer level leaves
    /// the property's `T??`.
    public func optionalNullable<T: JSONDecodable>(
        _ type: T.Type, _ key: String, path: FieldPath, errors: inout ValidationErrors
    ) -> T??? {
        guard let value = self[key] else { return .some(nil) }
        if case .null = value { return .some(.some(nil)) }
        guard let decoded = T(json: value, path: path.appending(key), errors: &errors) else { return nil }
        return .some(.some(decoded))
    }

    /// Reports `is not allowed` for every member not in `known`
    /// (`additionalProperties: false`).
    public func rejectUnknownKeys(allowing known: Set<String>, path: FieldPath, errors: inout ValidationErrors) {
        for entry in entries where !known.contains(entry.key) {
            errors.add(path.appending(entry.key), DecodingMessage.notAllowed)
        }
    }

    /// Decodes every member not in `known` (`additionalProperties: {schema}`);
    /// nil when any of them is invalid (each reported at `path.key`).
    public func additionalEntries<T: JSONDecodable>(
        _ type: T.Type, excluding known: Set<String>, path: FieldPath, errors: inout ValidationErrors
    ) -> [String: T]? {
        decodeEntries(T.self, excluding: known, path: path, errors: &errors)
    }

    func decodeEntries<T: JSONDecodable>(
        _ type: T.Type, excluding known: Set<String>?, path: FieldPath, errors: inout ValidationErrors
    ) -> [String: T]? {
        let base = path.flattened
        var result: [String: T] = [:]
        var failed = false
        for entry in entries {
            if let known, known.contains(entry.key) { continue }
            if let value = T(json: entry.value, path: base.appending(entry.key), errors: &errors) {
                if !failed { result[entry.key] = value }
            } else {
                failed = true
            }
        }
        return failed ? nil : result
    }
}
