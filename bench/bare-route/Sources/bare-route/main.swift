// `bare-route [HOST] [PORT]` (default 127.0.0.1 8081): Hummingbird's default
// Router and Application with one route, `GET /v1/self`, answering a fixed
// JSON body of about the size of Tessera's `/v1/self` response.
import Hummingbird

let arguments = CommandLine.arguments
let host = arguments.count > 1 ? arguments[1] : "127.0.0.1"
let port = arguments.count > 2 ? Int(arguments[2]) ?? 8081 : 8081

// A copy of Tessera's `/v1/self` response for the bootstrap admin (516 bytes).
let body = ByteBuffer(string: #"""
{"identity":{"user_id":"ece7d450-6503-4780-8c29-b62f56c8fad1","type":"USER","role":"ADMIN","name":"Tessera Admin","email":"admin@tessera.local"},"token":{"token_id":"7291f88a-0508-45f7-b913-c115e880fa69","created_at":"2026-11-24T00:10:15.961Z","token_label":"bootstrap 2026-11-24T00:10:15.961Z","creator_user_id":"ece7d450-6503-4780-8c29-b62f56c8fad1","user_id":"ece7d450-6503-4780-8c29-b62f56c8fad1","last_used_at":"2026-11-24T00:10:18.020Z","access_level":"FULL_ACCESS","expires_at":null,"token_preview":"ofZmB"}}
"""#)

let router = Router()
router.get("/v1/self") { _, _ -> Response in
    Response(
        status: .ok,
        headers: [.contentType: "application/json"],
        body: .init(byteBuffer: body)
    )
}

let app = Application(
    router: router,
    configuration: .init(address: .hostname(host, port: port), serverName: nil),
    onServerRunning: { channel in
        print("listening on http://\(host):\(channel.localAddress?.port ?? port)")
    }
)
try await app.runService()
