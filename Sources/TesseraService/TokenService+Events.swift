import Foundation
import TesseraAPI
import TesseraStore

extension TokenService {
    /// Opal's `GET /events`, newest first.
    public func events(_ input: Operations.Events.Input, context: OperationContext<Caller>) async throws(Operations.Events.Failure) -> Operations.Events.Output {
        var filter = EventFilter()
        var errors: [FieldError] = []
        if let text = input.startDateFilter {
            if let time = Self.instant(text, endOfDay: false) { filter.start = time } else {
                errors.append(FieldError(field: "start_date_filter", message: "must be a date (2024-01-31) or an RFC 3339 date-time"))
            }
        }
        if let text = input.endDateFilter {
            if let time = Self.instant(text, endOfDay: true) { filter.end = time } else {
                errors.append(FieldError(field: "end_date_filter", message: "must be a date (2024-01-31) or an RFC 3339 date-time"))
            }
        }
        if let text = input.apiTokenFilter {
            if let colon = text.lastIndex(of: ":") {
                filter.tokenName = String(text[..<colon])
                filter.tokenPreview = String(text[text.index(after: colon)...])
            } else {
                errors.append(FieldError(field: "api_token_filter", message: "must be LABEL:PREVIEW"))
            }
        }
        if !errors.isEmpty {
            throw .badRequest("The request is not valid.", fieldErrors: errors)
        }
        filter.actorUserID = input.actorFilter
        filter.objectID = input.objectFilter
        if let type = input.eventTypeFilter {
            // No event has a type Tessera does not record.
            guard let known = EventType(rawValue: type) else {
                return .ok(Schemas.PaginatedEventList(next: .some(nil), previous: .some(nil), results: []))
            }
            filter.eventType = known
        }
        let request = try pageRequest(cursor: input.cursor, size: input.pageSize, for: input)
        let page = try await translatingStoreErrors(for: input) { try await store.events(filter, page: request) }
        return .ok(Schemas.PaginatedEventList(next: .some(page.next), previous: .some(page.previous), results: page.items.map(event)))
    }

    public func getEvent(_ input: Operations.GetEvent.Input, context: OperationContext<Caller>) async throws(Operations.GetEvent.Failure) -> Operations.GetEvent.Output {
        guard let record = try await translatingStoreErrors(for: input, { try await store.event(id: input.eventID) }) else {
            throw .notFound("There is no event \(input.eventID.text).")
        }
        return .ok(event(record))
    }

    /// A date (`2024-01-31`: its first or, for an end bound, its last
    /// millisecond, UTC) or an RFC 3339 date-time, in milliseconds.
    static func instant(_ text: String, endOfDay: Bool) -> Milliseconds? {
        if text.utf8.count == 10 {
            guard let start = RFC3339.parseFullDate(text) else { return nil }
            return start.milliseconds + (endOfDay ? 86_400_000 - 1 : 0)
        }
        return RFC3339.parseDateTime(text)?.milliseconds
    }
}
