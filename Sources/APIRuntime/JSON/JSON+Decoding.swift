extension JSON {
    /// The object, or nil after reporting `must be an object` at `path`:
    /// the first line of every generated struct decoder.
    public func objectValue(at path: FieldPath, errors: inout ValidationErrors) -> JSONObject? {
        guard case .object(let object) = self else {
            errors.add(path, DecodingMessage.object)
            return nil
        }
        return object
    }
}
