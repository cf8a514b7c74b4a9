import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Why the server closed a connection while the application was reading a
/// request's body: the body iterator throws this, so the request's log line
/// says what happened instead of reporting a fault.
struct ConnectionClosedByServer: Error, CustomStringConvertible {
    enum Reason: String { case readTimeout = "read timeout", shutdown }
    var reason: Reason
    var description: String { reason.rawValue }
}

/// One per connection, just after the HTTP/1 codec: enforces the idle
/// timeout, the deadline for a request's head and body, and the bound on a
/// graceful shutdown; answers what the HTTP parser refuses before a request
/// reaches the application with the spec's error body; keeps the
/// connection's phase up to date for the cap on open connections.
///
/// One timer per connection, re-armed lazily: state changes only record a
/// time, and the timer (never further away than the read timeout) checks
/// the deadlines when it fires, so a request costs no scheduling.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limits: ConnectionLimits
    private let activity: ConnectionActivity
    private let refuse: @Sendable (_ error: any Error, _ elapsed: Duration) -> (head: HTTPResponse, body: ByteBuffer)

    /// Requests whose head arrived and whose response has not ended.
    private var requestsInProgress = 0
    /// Between a request's first byte and its `.end`.
    private var readingRequest = false
    /// The current request's head went to the application and its body is
    /// still being read.
    private var headDelivered = false
    private var responseStarted = false
    private var closeAfterResponse = false
    /// A refusal or a close is under way: later parser errors are ignored.
    private var closing = false
    private var readStart = NIODeadline.uptimeNanoseconds(0)
    private var idleSince = NIODeadline.uptimeNanoseconds(0)
    private var hardDeadline: NIODeadline?
    private var timer: Scheduled<Void>?

    init(
        limits: ConnectionLimits, activity: ConnectionActivity,
        refuse: @escaping @Sendable (_ error: any Error, _ elapsed: Duration) -> (head: HTTPResponse, body: ByteBuffer)
    ) {
        self.limits = limits
        self.activity = activity
        self.refuse = refuse
    }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
    }

    private func start(context: ChannelHandlerContext) {
        guard timer == nil else { return }
        idleSince = .now()
        arm(context: context, at: idleSince + .init(min(limits.idleTimeout, limits.requestReadTimeout)))
    }

    // MARK: Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var data = data
        switch unwrapInboundIn(data) {
        case .head(var head):
            if !readingRequest {
                readingRequest = true
                readStart = .now()
            }
            // When the head arrived, by the wall clock, for the application
            // (`APIRequest.receivedAt`): stamped here, on the event loop, so
            // it does not include the wait for a task to run the handler.
            // Whatever a client sent under this name is replaced.
            head.headerFields[.receivedAt] = String(WallClock.microseconds())
            data = wrapInboundOut(.head(head))
            headDelivered = true
            responseStarted = false
            requestsInProgress += 1
            activity.enter(.busy, at: readStart)
        case .body:
            break
        case .end:
            readingRequest = false
            headDelivered = false
            if requestsInProgress == 0 {
                // Its response went out before the body was read.
                idleSince = .now()
                activity.enter(.idle, at: idleSince)
            }
        }
        context.fireChannelRead(data)
    }

    /// Fires for every read from the socket, also when the bytes were only
    /// part of a head: the moment a request's first bytes arrive.
    func channelReadComplete(context: ChannelHandlerContext) {
        if !readingRequest, requestsInProgress == 0 {
            readingRequest = true
            readStart = .now()
            activity.enter(.readingHead, at: readStart)
        }
        context.fireChannelReadComplete()
    }

    // MARK: Writing

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head:
            responseStarted = true
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            requestsInProgress -= 1
            guard requestsInProgress == 0 else {
                context.write(data, promise: promise)
                return
            }
            if closeAfterResponse || hardDeadline != nil {
                let written = context.writeAndFlush(data)
                if let promise { written.cascade(to: promise) }
                written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
                return
            }
            context.write(data, promise: promise)
            if !readingRequest {
                idleSince = .now()
                activity.enter(.idle, at: idleSince)
            }
        }
    }

    // MARK: Failures and shutdown

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Once closing, what still arrives (the decoder reports every read
        // after its error) is dropped.
        if closing { return }
        guard error is HTTPParserError || error is HTTP1TypeConversionError else {
            context.fireErrorCaught(error)
            return
        }
        if headDelivered, !responseStarted {
            // The application is reading this request's body: its body
            // iterator throws, it answers (or logs a hang-up), then we close.
            closeAfterResponse = true
            context.fireErrorCaught(error)
        } else if headDelivered || requestsInProgress > 0 {
            // This request has (or is getting) its response: no second one.
            closing = true
            if requestsInProgress == 0 { context.close(promise: nil) } else { closeAfterResponse = true }
        } else if error as? HTTPParserError == .invalidEOFState {
            // The client hung up in the middle of a head: nobody to answer.
            closing = true
            context.close(promise: nil)
        } else {
            // Refused before the application saw a request: answer, then
            // stop writing but keep reading (and dropping) until the client
            // closes or the read deadline passes, so the kernel does not
            // reset the connection over unread bytes and lose the answer.
            closing = true
            if !readingRequest {
                readingRequest = true
                readStart = .now()
            }
            let refusal = refuse(error, Duration.nanoseconds((NIODeadline.now() - readStart).nanoseconds))
            context.write(wrapOutboundOut(.head(refusal.head)), promise: nil)
            context.write(wrapOutboundOut(.body(refusal.body)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                context.close(mode: .output, promise: nil)
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if closing, case ChannelEvent.inputClosed = event {
            context.close(promise: nil)
            return
        }
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        // Graceful shutdown: idle connections close now; requests in progress
        // have until the shutdown timeout.
        if requestsInProgress == 0, !readingRequest {
            context.close(promise: nil)
            return
        }
        let deadline = NIODeadline.now() + .init(limits.shutdownTimeout)
        hardDeadline = deadline
        cancelTimer()
        arm(context: context, at: deadline)
    }

    // MARK: The timer

    private func arm(context: ChannelHandlerContext, at deadline: NIODeadline) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            check(context: context)
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
    }

    private func check(context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        let now = NIODeadline.now()
        if let hardDeadline, now >= hardDeadline {
            close(context: context, reason: .shutdown)
            return
        }
        var next = now + .init(limits.requestReadTimeout)
        if readingRequest {
            let deadline = readStart + .init(limits.requestReadTimeout)
            if now >= deadline {
                close(context: context, reason: .readTimeout)
                return
            }
            next = min(next, deadline)
        } else if requestsInProgress == 0 {
            let deadline = idleSince + .init(limits.idleTimeout)
            if now >= deadline {
                context.close(promise: nil)
                return
            }
            next = min(next, deadline)
        }
        if let hardDeadline { next = min(next, hardDeadline) }
        arm(context: context, at: next)
    }

    /// Closes the connection; an application reading the body is told why.
    private func close(context: ChannelHandlerContext, reason: ConnectionClosedByServer.Reason) {
        if headDelivered, !responseStarted {
            context.fireErrorCaught(ConnectionClosedByServer(reason: reason))
        }
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension ConnectionGuard: Sendable {}
