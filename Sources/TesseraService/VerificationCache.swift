import Foundation
import TesseraCore

/// The verified credentials a process remembers, by the SHA-256 of their
/// secret: bounded, evicted gradually, invalidated by token or user in time
/// proportional to that token's or user's entries.
///
/// - **Bounded.** At most `capacity` entries. A new entry past it evicts one
///   by the CLOCK algorithm (second chance): a hand sweeps the slots, an
///   entry used since the hand last passed keeps its place once more, the
///   first one not used is evicted. So a flood of one-off secrets evicts
///   one entry per insert instead of clearing the cache (no thundering
///   herd onto the database), and entries in use survive it.
/// - **Indexed.** Each token's entries (its own secret and the access
///   tokens exchanged for it) and each user's tokens are indexed, so
///   invalidating a token or a user touches only their entries.
///
/// Not thread-safe by itself: `TokenVerifier` holds it under its lock.
struct VerificationCache {
    struct Entry {
        var caller: Caller
        var slot: Int
    }

    let capacity: Int
    private(set) var entries: [SecretDigest: Entry] = [:]
    /// The digest in each slot (nil when free); the CLOCK's ring.
    private var slots: [SecretDigest?] = []
    /// Whether each slot's entry was used since the hand last passed it.
    private var referenced: [Bool] = []
    private var freeSlots: [Int] = []
    private var hand = 0
    /// Token id → the digests cached for it.
    private var byToken: [UUID: [SecretDigest]] = [:]
    /// User id → the ids of their tokens that have cached entries.
    private var byUser: [UUID: Set<UUID>] = [:]
    /// Tokens whose last entry left since the owner last took this list
    /// (`takeReleased`), so their per-token state elsewhere can go too.
    private var released: [UUID] = []

    init(capacity: Int) {
        precondition(capacity > 0, "the cache holds at least one entry")
        self.capacity = capacity
    }

    var count: Int { entries.count }

    /// The tokens that lost their last cached entry since the last call.
    mutating func takeReleased() -> [UUID] {
        guard !released.isEmpty else { return [] }
        defer { released.removeAll(keepingCapacity: true) }
        return released
    }

    /// The caller cached for `digest`, marking it used.
    mutating func lookup(_ digest: SecretDigest) -> Caller? {
        guard let entry = entries[digest] else { return nil }
        if !referenced[entry.slot] { referenced[entry.slot] = true }
        return entry.caller
    }

    mutating func insert(_ caller: Caller, for digest: SecretDigest) {
        if let existing = entries[digest] {
            remove(digest, entry: existing)
        }
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
        } else if slots.count < capacity {
            slot = slots.count
            slots.append(nil)
            referenced.append(false)
        } else {
            slot = evictOne()
        }
        slots[slot] = digest
        referenced[slot] = false
        entries[digest] = Entry(caller: caller, slot: slot)
        byToken[caller.token.id, default: []].append(digest)
        byUser[caller.user.id, default: []].insert(caller.token.id)
    }

    /// Forgets every entry of token `id`.
    mutating func removeToken(_ id: UUID) {
        guard let digests = byToken[id] else { return }
        for digest in digests {
            if let entry = entries[digest] { remove(digest, entry: entry) }
        }
    }

    /// Forgets every entry of the tokens of user `id`.
    mutating func removeUser(_ id: UUID) {
        guard let tokens = byUser[id] else { return }
        for token in tokens { removeToken(token) }
    }

    /// Forgets one secret's entry.
    mutating func remove(_ digest: SecretDigest) {
        if let entry = entries[digest] { remove(digest, entry: entry) }
    }

    /// Frees the slot the CLOCK hand chooses and returns it.
    private mutating func evictOne() -> Int {
        while true {
            let slot = hand
            hand = (hand + 1) % slots.count
            guard let digest = slots[slot] else { return slot }
            if referenced[slot] {
                referenced[slot] = false
                continue
            }
            if let entry = entries[digest] { unlink(digest, entry: entry) }
            slots[slot] = nil
            return slot
        }
    }

    private mutating func remove(_ digest: SecretDigest, entry: Entry) {
        unlink(digest, entry: entry)
        slots[entry.slot] = nil
        referenced[entry.slot] = false
        freeSlots.append(entry.slot)
    }

    /// Drops an entry from the map and the indexes (not from its slot).
    private mutating func unlink(_ digest: SecretDigest, entry: Entry) {
        entries[digest] = nil
        let tokenID = entry.caller.token.id
        guard var digests = byToken[tokenID] else { return }
        digests.removeAll { $0 == digest }
        if digests.isEmpty {
            byToken[tokenID] = nil
            released.append(tokenID)
            let userID = entry.caller.user.id
            byUser[userID]?.remove(tokenID)
            if byUser[userID]?.isEmpty == true { byUser[userID] = nil }
        } else {
            byToken[tokenID] = digests
        }
    }
}

/// Digests that were checksum-valid but unknown, so repeating one costs no
/// database read. The CRC is public, so anyone can make valid-looking
/// secrets; this keeps the most recent `capacity` of them, first in first
/// out. A digest that is unknown now cannot become known later: every
/// secret Tessera stores is drawn fresh from the CSPRNG when its token is
/// created or regenerated, after which nobody has presented it before.
struct UnknownDigests {
    let capacity: Int
    private var members: Set<SecretDigest> = []
    private var order: [SecretDigest] = []
    private var next = 0

    init(capacity: Int) {
        self.capacity = capacity
    }

    func contains(_ digest: SecretDigest) -> Bool { members.contains(digest) }

    mutating func insert(_ digest: SecretDigest) {
        guard capacity > 0, !members.contains(digest) else { return }
        if order.count < capacity {
            order.append(digest)
        } else {
            members.remove(order[next])
            order[next] = digest
            next = (next + 1) % capacity
        }
        members.insert(digest)
    }
}
